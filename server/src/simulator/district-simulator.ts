/**
 * The built-in simulator that makes the district come alive: appeals on a time-of-day curve,
 * their lifecycles, video alerts from cameras in the communities, grid inspections and smart-code
 * scans. On first start it writes the history of the last days (backfill); then it runs in real
 * time, faster by the speed-up factor. It sends everything through the ingest API like any producer.
 *
 * Connected to the camera API (`connectCameras`), it also plays the video platform: it uploads a
 * snapshot drawn for each alert before raising it and puts its URL in the alert, and it sends the
 * cameras' heartbeats every 30 s, leaving a few cameras silent now and then so that they go offline.
 *
 * Over 400 lines, on purpose: one class holds the run's state (clock, queue, the random stream
 * every script draws from in a fixed order, so that a seed always plays the same district). The
 * scripts themselves are in appeal-script.ts, alert-script.ts and component-script.ts.
 */
import {
  communitiesTagged,
  communityProfiles,
  localHour,
  taxonomy,
  type CityEvent,
  type CommunityProfiles,
  type ComponentStatus,
  type InspectionKind,
  type IngestResponse,
} from '@commandhall/shared';
import type { Geography, AreaInfo } from '../geography/index.ts';
import { MinHeap } from '../util/min-heap.ts';
import { appealScript, iso, type Scheduled } from './appeal-script.ts';
import { alertScript } from './alert-script.ts';
import { componentEvent, componentIdOf, faultScript, hashOf, poleOutage, type SimComponent } from './component-script.ts';
import {
  ALERTS_PER_DAY,
  CAMERA_OUTAGES_PER_DAY,
  CAMERA_OUTAGE_MINUTES,
  COMPONENT_FAULTS_PER_DAY,
  ENTERPRISE_EXTRA_SHARE,
  ENTERPRISE_INSPECTIONS_IN_INDUSTRIAL,
  ENTERPRISE_SHARE_ELSEWHERE,
  ENTERPRISE_SHARE_INDUSTRIAL,
  FAULT_PRONENESS,
  FAULT_TO_REPAIR_HOURS,
  HEARTBEAT_EVERY_MS,
  HOURLY_CURVE,
  HOURLY_TOTAL,
  INSPECTIONS_PER_DAY,
  INSPECTION_KIND_MIX,
  ISSUE_CHANCE,
  POLE_OUTAGES_PER_DAY,
  REPAIR_HOURS,
  RIVER_PATROLS_IN_COMMUNITY,
  RIVER_PATROLS_IN_STREET,
  SCANS_PER_DAY,
} from './district-mix.ts';
import { Random, WeightedPicker } from './random.ts';
import { districtLayout, pointIn, type SimCamera } from './district-layout.ts';
import { renderSnapshot } from './snapshot-image.ts';

/** Inspector ids by inspection kind: grid inspector, river chief, safety officer, fire inspector. */
const INSPECTOR_PREFIX: Record<InspectionKind, string> = { grid: 'GRID', river: 'RIVER', enterprise: 'SAFE', fire: 'FIRE' };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const BATCH = 1000;
const SEND_TIMEOUT_MS = 30_000;

export interface SimulatorOptions {
  appealsPerDay: number;
  speed: number;
  seed: number;
  utcOffsetMinutes: number;
  now: () => number;
  /** Told about a failed step; the run goes on with the next one. */
  onError?: (err: unknown) => void;
  /** The camera API, when the simulator is to play the video platform too (or `connectCameras`). */
  cameras?: CameraLink;
  /** Cameras falling silent per simulated day; default CAMERA_OUTAGES_PER_DAY (times `scale`). */
  cameraOutagesPerDay?: number;
  /**
   * Volume of everything per simulated day, relative to Pingshan's (1): `appealsPerDay` and the
   * alerts, inspections, scans, faults and outages of district-mix.ts are all multiplied by it. A
   * city is about 100. Lifecycles keep their length (that is `speed`).
   */
  scale?: number;
  /** The community registry (components to break, tagged communities); shared's default otherwise. */
  profiles?: CommunityProfiles;
  /**
   * The component registry, when the deployment has one: a fault then befalls a real component
   * (its smart code, its place), so that the map, the scan page and the labels all name it.
   */
  components?: {
    nth(community: string, type: string, n: number): { id: string; lon: number; lat: number } | undefined;
    get(id: string): { lon: number; lat: number } | undefined;
  };
}

/** A component that is not normal, as the projections hold it (for `resumeComponents`). */
export interface HeldComponent {
  id: string;
  type: string;
  status: Exclude<ComponentStatus, 'normal'>;
  community: string;
}

export type Camera = SimCamera;

/** The camera side of the video platform, as the simulator reaches it (through the HTTP API). */
export interface CameraLink {
  /** Uploads an alert's snapshot; resolves to the URL to put in the alert's `snapshotUrl`. */
  uploadSnapshot(cameraId: string, image: Buffer, takenAt: number): Promise<string>;
  /** Reports the cameras the platform still hears. */
  sendHeartbeats(cameraIds: string[]): Promise<void>;
  /** How long the server lets a camera be silent: outages last longer, so that they show. */
  offlineAfterMs: number;
}

export type Send = (events: CityEvent[]) => Promise<IngestResponse>;

export class DistrictSimulator {
  readonly cameras: Camera[];
  private pending = new MinHeap<Scheduled>((s) => s.at);
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private rng: Random;
  private communityWeights: Record<string, number> = {};
  private serial = 0;
  /** The step in progress: steps never overlap, so a slow one delays the next instead of piling up. */
  private running: Promise<void> | null = null;
  private link: CameraLink | null;
  private lastHeartbeat = -Infinity;
  /** Cameras the platform does not hear, until when (epoch ms). */
  private outages = new Map<string, number>();
  /** `community|type` by registered components × proneness: where faults happen. */
  private faultPlaces: WeightedPicker<string>;
  /** Registered components per `community|type`. */
  private registered = new Map<string, number>();
  /** Smart poles per community. */
  private poleCounts: Record<string, number> = {};
  private polePlaces: WeightedPicker<string>;
  /** The industrial-park and river communities (null when the registry tags none in this geography). */
  private industrial: AreaInfo | null;
  private river: AreaInfo | null;
  /** The other communities of the river community's street. */
  private riverStreet: AreaInfo[];

  constructor(
    private geo: Geography,
    private opts: SimulatorOptions,
    private send: Send,
  ) {
    // the layout of the district (cameras, community weights) is fixed by the seed alone
    const layout = districtLayout(geo, opts.seed);
    this.cameras = layout.cameras;
    this.communityWeights = layout.communityWeights;
    this.link = opts.cameras ?? null;
    const profiles = opts.profiles ?? communityProfiles;
    const faultWeights: Record<string, number> = {};
    for (const p of profiles.communities) {
      if (geo.area(p.code)?.level !== 'community') continue;
      for (const [type, n] of Object.entries(p.components)) {
        if (n <= 0) continue;
        this.registered.set(`${p.code}|${type}`, n);
        faultWeights[`${p.code}|${type}`] = n * (FAULT_PRONENESS[type] ?? 0.5);
        if (type === 'smart_pole') this.poleCounts[p.code] = n;
      }
    }
    this.faultPlaces = new WeightedPicker(faultWeights);
    this.polePlaces = new WeightedPicker(this.poleCounts);
    const tagged = (tag: 'industrial' | 'river') => {
      const code = (
        opts.profiles ? opts.profiles.communities.filter((c) => c.tags.includes(tag)).map((c) => c.code) : communitiesTagged(tag)
      )[0];
      const area = code === undefined ? undefined : geo.area(code);
      return area?.level === 'community' ? area : null;
    };
    this.industrial = tagged('industrial');
    this.river = tagged('river');
    const river = this.river;
    this.riverStreet = river ? geo.communities.filter((c) => c.parent === river.parent && c.code !== river.code) : [];
    this.lastTick = opts.now();
    // live randomness differs per run so that ids never collide with an earlier run's
    this.rng = new Random(opts.seed ^ (opts.now() & 0x7fffffff));
  }

  /** Plays the video platform from now on: snapshots with alerts, camera heartbeats. */
  connectCameras(link: CameraLink): void {
    this.link = link;
  }

  /** Events of the last `days` days up to now; what lies in the future is kept for the live run. */
  async backfill(days: number, onProgress?: (done: number, total: number) => void): Promise<number> {
    const now = this.opts.now();
    await this.heartbeats(now);
    const rng = new Random(this.opts.seed + 1);
    const all: Scheduled[] = [];
    const start = now - days * DAY;
    // hour by hour, so the curve shapes history as it shapes the live day
    for (let h = start - (start % HOUR); h < now; h += HOUR) {
      const w = HOURLY_CURVE[localHour(h, this.opts.utcOffsetMinutes)] / HOURLY_TOTAL;
      this.generate(rng, h, Math.min(h + HOUR, now), w, 1, all, `H${Math.floor(h / HOUR).toString(36)}`);
    }
    const past = all.filter((s) => s.at <= now).sort((a, b) => a.at - b.at);
    for (const s of all) if (s.at > now) this.pending.push(s);
    // history gets no pictures, but the alerts still waiting for someone do: the hall will open them
    const waiting = new Set(all.flatMap((s) => (s.at > now && s.event.type === 'video_alert.acknowledged' ? [s.event.data.alertId] : [])));
    for (let i = 0; i < past.length; i += BATCH) {
      const batch = past.slice(i, i + BATCH).map((s) => s.event);
      await this.attachSnapshots(batch, (alertId) => waiting.has(alertId));
      await this.post(batch);
      onProgress?.(Math.min(i + BATCH, past.length), past.length);
    }
    return past.length;
  }

  /** Starts the real-time run: every second, new arrivals and whatever became due. */
  start(): void {
    this.timer ??= setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.opts.onError?.(err))
        .finally(() => (this.running = null));
    }, 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Continues the lives of appeals that were open when the server last stopped. */
  resume(open: { id: string; status: string; community: string; createdAt: number }[]): void {
    const now = this.opts.now();
    for (const a of open) {
      const area = this.geo.area(a.community);
      if (!area) continue;
      const base = `${a.id}.r${(now % 1e6).toString(36)}`;
      let t = now + (this.rng.between(1, 30) * MIN) / this.opts.speed;
      const moves: string[] =
        {
          collected: ['verified', 'dispatched', 'handling', 'resolved', 'closed'],
          verified: ['dispatched', 'handling', 'resolved', 'closed'],
          dispatched: ['handling', 'resolved', 'closed'],
          handling: ['resolved', 'closed'],
          resolved: ['closed'],
        }[a.status] ?? [];
      moves.forEach((to, i) => {
        t += (this.rng.between(10, 240) * MIN) / this.opts.speed;
        const data = to === 'closed' ? { appealId: a.id, to, satisfaction: 'satisfied' } : { appealId: a.id, to };
        this.pending.push({ at: t, event: { id: `${base}.${i}`, type: 'appeal.transitioned', occurredAt: iso(t), data } as CityEvent });
      });
    }
  }

  /** One step of the live run (public for tests). */
  async tick(): Promise<void> {
    const now = this.opts.now();
    const from = this.lastTick;
    this.lastTick = now;
    if (now > from) {
      const w = (HOURLY_CURVE[localHour(now, this.opts.utcOffsetMinutes)] / HOURLY_TOTAL) * ((now - from) / HOUR) * this.opts.speed;
      const fresh: Scheduled[] = [];
      this.generate(this.rng, from, now, w, this.opts.speed, fresh, `L${(++this.serial).toString(36)}${now.toString(36)}`);
      for (const s of fresh) this.pending.push(s);
    }
    await this.heartbeats(now);
    const due = this.pending.popUntil(now);
    for (let i = 0; i < due.length; i += BATCH) {
      const batch = due.slice(i, i + BATCH).map((s) => s.event);
      await this.attachSnapshots(batch, () => true);
      await this.post(batch);
    }
  }

  /**
   * Adds to `out` the events that start in [from, to): `share` is the fraction of a day's volume
   * falling in that window (times the volume scale); `speed` shortens the lifecycles.
   */
  private generate(rng: Random, from: number, to: number, day: number, speed: number, out: Scheduled[], tag: string): void {
    const share = day * (this.opts.scale ?? 1);
    const at = () => rng.between(from, to);
    const appeals = rng.poisson(this.opts.appealsPerDay * share);
    for (let i = 0; i < appeals; i++) {
      const c = this.community(rng);
      const enterprise = rng.chance(c === this.industrial ? ENTERPRISE_SHARE_INDUSTRIAL : ENTERPRISE_SHARE_ELSEWHERE);
      out.push(
        ...appealScript(
          rng,
          {
            appealId: `PS-${tag}-${i.toString(36)}`,
            at: at(),
            community: c,
            streetName: this.streetName(c),
            point: this.pointIn(rng, c),
            reporterKind: enterprise ? 'enterprise' : 'resident',
          },
          speed,
        ),
      );
    }
    // the park's enterprises write on top of that
    const park = this.industrial;
    const fromPark = park ? rng.poisson(this.opts.appealsPerDay * ENTERPRISE_EXTRA_SHARE * share) : 0;
    for (let i = 0; i < fromPark; i++) {
      const c = park!;
      out.push(
        ...appealScript(
          rng,
          {
            appealId: `PE-${tag}-${i.toString(36)}`,
            at: at(),
            community: c,
            streetName: this.streetName(c),
            point: this.pointIn(rng, c),
            reporterKind: 'enterprise',
          },
          speed,
        ),
      );
    }
    const alerts = rng.poisson(ALERTS_PER_DAY * share);
    for (let i = 0; i < alerts; i++) {
      const t0 = at(); // drawn before the camera, as the run has always drawn them
      const cam = rng.pick(this.cameras);
      const c = this.geo.area(cam.community)!;
      out.push(...alertScript(rng, `VA-${tag}-${i.toString(36)}`, t0, speed, cam, c, this.streetName(c)));
    }
    const inspections = rng.poisson(INSPECTIONS_PER_DAY * share);
    for (let i = 0; i < inspections; i++) {
      const kind = rng.weighted(INSPECTION_KIND_MIX);
      const c = this.inspected(rng, kind);
      const t = at();
      const found = rng.chance(ISSUE_CHANCE[kind]) ? rng.int(1, 3) : 0;
      out.push({
        at: t,
        event: {
          id: `GI-${tag}-${i.toString(36)}`,
          type: 'grid_inspection.reported',
          occurredAt: iso(t),
          data: {
            inspectionId: `GI-${tag}-${i.toString(36)}`,
            inspectorId: `${INSPECTOR_PREFIX[kind]}-${c.code.slice(-6)}-${rng.int(1, 12)}`,
            location: this.pointIn(rng, c),
            communityCode: c.code,
            issuesFound: found,
            issuesHandledOnSite: found ? rng.int(0, found) : 0,
            kind,
          },
        },
      });
    }
    const scans = rng.poisson(SCANS_PER_DAY * share);
    for (let i = 0; i < scans; i++) {
      const c = this.community(rng);
      const t = at();
      const type = rng.pick(taxonomy.componentTypes).code;
      out.push({
        at: t,
        event: {
          id: `SC-${tag}-${i.toString(36)}`,
          type: 'smart_code.scanned',
          occurredAt: iso(t),
          data: {
            scanId: `SC-${tag}-${i.toString(36)}`,
            codeId: `SZ-${c.code.slice(-6)}-${type}-${rng.int(1, 400)}`,
            componentType: type,
            purpose: rng.weighted({ inspection: 6, report: 1, query: 2 }),
            location: this.pointIn(rng, c),
            communityCode: c.code,
          },
        },
      });
    }
    const faults = this.faultPlaces.size ? rng.poisson(COMPONENT_FAULTS_PER_DAY * share) : 0;
    for (let i = 0; i < faults; i++) out.push(...this.faultScript(rng, `CF-${tag}-${i.toString(36)}`, at(), speed));
    const poleOutages = this.polePlaces.size ? rng.poisson(POLE_OUTAGES_PER_DAY * share) : 0;
    for (let i = 0; i < poleOutages; i++) out.push(...this.poleOutage(rng, `PO-${tag}-${i.toString(36)}`, at(), speed));
  }

  /** Where an inspection of this kind takes place: river patrols along the river, enterprise checks in the park. */
  private inspected(rng: Random, kind: InspectionKind): AreaInfo {
    if (kind === 'river' && this.river) {
      const r = rng.next();
      if (r < RIVER_PATROLS_IN_COMMUNITY) return this.river;
      if (r < RIVER_PATROLS_IN_COMMUNITY + RIVER_PATROLS_IN_STREET && this.riverStreet.length) return rng.pick(this.riverStreet);
    }
    if (kind === 'enterprise' && this.industrial && rng.chance(ENTERPRISE_INSPECTIONS_IN_INDUSTRIAL)) return this.industrial;
    return this.community(rng);
  }

  /** A registered component breaks, is repaired and is back (component-script.ts). */
  private faultScript(rng: Random, id: string, t0: number, speed: number): Scheduled[] {
    const [community, type] = this.faultPlaces.pick(rng).split('|');
    return faultScript(rng, id, t0, speed, this.component(community, type, rng.int(1, this.registered.get(`${community}|${type}`)!)));
  }

  /** A smart pole drops off the network and comes back (component-script.ts). */
  private poleOutage(rng: Random, id: string, t0: number, speed: number): Scheduled[] {
    const community = this.polePlaces.pick(rng);
    return poleOutage(rng, id, t0, speed, this.component(community, 'smart_pole', rng.int(1, this.poleCounts[community])));
  }

  /**
   * Finishes what was under way for components not normal when the server last stopped (their
   * scheduled repairs were lost with the process): a fault goes into repair then back to normal,
   * a repair finishes, an offline pole comes back.
   */
  resumeComponents(held: HeldComponent[]): void {
    const now = this.opts.now();
    const base = `R${(now % 1e8).toString(36)}`;
    for (const h of held) {
      if (this.geo.area(h.community)?.level !== 'community') continue;
      const id = `CF-${base}-${h.id}`;
      const c = { id: h.id, type: h.type, community: h.community, where: this.componentPoint(h.id, h.community) };
      let t = now + (this.rng.between(1, 30) * MIN) / this.opts.speed;
      if (h.status === 'offline') {
        this.pending.push(componentEvent(`${id}.1`, t, c, 'online'));
        continue;
      }
      if (h.status === 'fault') {
        t += (this.rng.between(FAULT_TO_REPAIR_HOURS[0], FAULT_TO_REPAIR_HOURS[1] / 4) * HOUR) / this.opts.speed;
        this.pending.push(componentEvent(`${id}.1`, t, c, 'repairing'));
      }
      t += (this.rng.between(REPAIR_HOURS[0], REPAIR_HOURS[1]) * HOUR) / this.opts.speed;
      this.pending.push(componentEvent(`${id}.2`, t, c, 'normal'));
    }
  }

  /** The `n`-th registered component of a type in a community: the registry's, or one made up by its number. */
  private component(community: string, type: string, n: number): SimComponent {
    const real = this.opts.components?.nth(community, type, n);
    if (real) return { id: real.id, type, community, where: { lon: real.lon, lat: real.lat } };
    const id = componentIdOf(community, type, n);
    return { id, type, community, where: this.componentPoint(id, community) };
  }

  /** Where a component stands: the registry's place, else fixed by its id, so that every event about it has the same place. */
  private componentPoint(componentId: string, community: string): { lon: number; lat: number } {
    const known = this.opts.components?.get(componentId);
    if (known) return { lon: known.lon, lat: known.lat };
    return pointIn(this.geo, new Random(hashOf(componentId)), this.geo.area(community)!);
  }

  /** A video alert and what the hall does with it: acknowledge, then confirm as an appeal or dismiss. */
  /**
   * Draws and uploads the snapshot of each alert raised in `events` (those `wanted`), and puts its
   * URL in the alert. An upload that fails is reported, and the alert goes without its picture.
   */
  private async attachSnapshots(events: CityEvent[], wanted: (alertId: string) => boolean): Promise<void> {
    const link = this.link;
    if (!link) return;
    for (const e of events) {
      if (e.type !== 'video_alert.raised' || e.data.snapshotUrl || !wanted(e.data.alertId)) continue;
      const d = e.data;
      const t = Date.parse(e.occurredAt);
      const image = renderSnapshot({
        key: d.alertId,
        algorithm: d.algorithm,
        confidence: d.confidence,
        cameraId: d.cameraId,
        community: d.communityCode ?? '',
        localTime: new Date(t + this.opts.utcOffsetMinutes * MIN).toISOString().slice(0, 19).replace('T', ' '),
      });
      try {
        d.snapshotUrl = await this.timed(link.uploadSnapshot(d.cameraId, image, t), `the snapshot of alert ${d.alertId}`);
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }

  /**
   * Every HEARTBEAT_EVERY_MS, the heartbeats of the cameras the platform hears. A few cameras fall
   * silent now and then (CAMERA_OUTAGES_PER_DAY, simulated time), always for longer than the
   * server's allowance so that the outage shows on the map.
   */
  private async heartbeats(now: number): Promise<void> {
    const link = this.link;
    if (!link || now - this.lastHeartbeat < HEARTBEAT_EVERY_MS) return;
    const elapsed = Number.isFinite(this.lastHeartbeat) ? now - this.lastHeartbeat : 0;
    this.lastHeartbeat = now;
    for (const [id, until] of this.outages) if (until <= now) this.outages.delete(id);
    // a clock that jumped (a laptop waking up) does not take the whole district down
    const fresh = Math.min(
      this.rng.poisson(
        ((this.opts.cameraOutagesPerDay ?? CAMERA_OUTAGES_PER_DAY * (this.opts.scale ?? 1)) * elapsed * this.opts.speed) / DAY,
      ),
      Math.ceil(this.cameras.length / 20),
    );
    for (let i = 0; i < fresh; i++) {
      const cam = this.rng.pick(this.cameras);
      const simulated = (this.rng.between(CAMERA_OUTAGE_MINUTES[0], CAMERA_OUTAGE_MINUTES[1]) * MIN) / this.opts.speed;
      if (!this.outages.has(cam.id)) this.outages.set(cam.id, now + Math.max(simulated, 2 * link.offlineAfterMs + HEARTBEAT_EVERY_MS));
    }
    const heard = this.cameras.filter((c) => !this.outages.has(c.id)).map((c) => c.id);
    await this.timed(link.sendHeartbeats(heard), `the heartbeats of ${heard.length} cameras`);
  }

  private streetName(c: AreaInfo): string {
    return (c.parent && this.geo.area(c.parent)?.name) || '';
  }

  private community(rng: Random): AreaInfo {
    return this.geo.area(rng.weighted(this.communityWeights))!;
  }

  /** A random point inside the community, near its centre. */
  private pointIn(rng: Random, c: AreaInfo): { lon: number; lat: number } {
    return pointIn(this.geo, rng, c);
  }

  /** Waits for `work` at most SEND_TIMEOUT_MS: a server that does not answer never stalls the run for good. */
  private async timed<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the server did not take ${what} within ${SEND_TIMEOUT_MS / 1000} s`)), SEND_TIMEOUT_MS);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private async post(events: CityEvent[]): Promise<void> {
    const res = await this.timed(this.send(events), `a batch of ${events.length} events`);
    if (res.rejected > 0) {
      const first = res.results.find((r) => r.status === 'rejected');
      throw new Error(`simulator events rejected (${res.rejected}): ${first?.id}: ${first?.reason}`);
    }
  }
}
