/**
 * The built-in simulator that makes the district come alive: appeals on a time-of-day curve,
 * their lifecycles, video alerts from cameras in the communities, grid inspections and smart-code
 * scans. On first start it writes the history of the last days (backfill); then it runs in real
 * time, faster by the speed-up factor. It sends everything through the ingest API like any producer.
 */
import { localHour, taxonomy, type CityEvent, type IngestResponse } from '@commandhall/shared';
import type { Geography, AreaInfo } from '../geography/index.ts';
import { MinHeap } from '../util/min-heap.ts';
import { appealScript, iso, type Scheduled } from './appeal-script.ts';
import {
  ALERTS_PER_DAY,
  ALERT_OUTCOME_MIX,
  CAMERAS_PER_COMMUNITY,
  DISMISS_REASONS,
  HOURLY_CURVE,
  HOURLY_TOTAL,
  INSPECTIONS_PER_DAY,
  SCANS_PER_DAY,
  SLOW_ACK_SHARE,
} from './district-mix.ts';
import { Random } from './random.ts';

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
}

export interface Camera {
  id: string;
  community: string;
  lon: number;
  lat: number;
}

export type Send = (events: CityEvent[]) => Promise<IngestResponse>;

export class DistrictSimulator {
  readonly cameras: Camera[] = [];
  private pending = new MinHeap<Scheduled>((s) => s.at);
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private rng: Random;
  private communityWeights: Record<string, number> = {};
  private serial = 0;
  /** The step in progress: steps never overlap, so a slow one delays the next instead of piling up. */
  private running: Promise<void> | null = null;

  constructor(
    private geo: Geography,
    private opts: SimulatorOptions,
    private send: Send,
  ) {
    // the layout of the district (cameras, community weights) is fixed by the seed alone
    const layout = new Random(opts.seed);
    for (const c of geo.communities) {
      this.communityWeights[c.code] = 0.4 + layout.next() * 1.2;
      for (let i = 1; i <= CAMERAS_PER_COMMUNITY; i++) {
        const p = this.pointIn(layout, c);
        this.cameras.push({ id: `CAM-${c.code}-${String(i).padStart(2, '0')}`, community: c.code, ...p });
      }
    }
    this.lastTick = opts.now();
    // live randomness differs per run so that ids never collide with an earlier run's
    this.rng = new Random(opts.seed ^ (opts.now() & 0x7fffffff));
  }

  /** Events of the last `days` days up to now; what lies in the future is kept for the live run. */
  async backfill(days: number, onProgress?: (done: number, total: number) => void): Promise<number> {
    const now = this.opts.now();
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
    for (let i = 0; i < past.length; i += BATCH) {
      await this.post(past.slice(i, i + BATCH).map((s) => s.event));
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
    const due = this.pending.popUntil(now);
    for (let i = 0; i < due.length; i += BATCH) await this.post(due.slice(i, i + BATCH).map((s) => s.event));
  }

  /**
   * Adds to `out` the events that start in [from, to): `share` is the fraction of a day's volume
   * falling in that window; `speed` shortens the lifecycles.
   */
  private generate(rng: Random, from: number, to: number, share: number, speed: number, out: Scheduled[], tag: string): void {
    const at = () => rng.between(from, to);
    const appeals = rng.poisson(this.opts.appealsPerDay * share);
    for (let i = 0; i < appeals; i++) {
      const c = this.community(rng);
      out.push(
        ...appealScript(
          rng,
          { appealId: `PS-${tag}-${i.toString(36)}`, at: at(), community: c, streetName: this.streetName(c), point: this.pointIn(rng, c) },
          speed,
        ),
      );
    }
    const alerts = rng.poisson(ALERTS_PER_DAY * share);
    for (let i = 0; i < alerts; i++) out.push(...this.alertScript(rng, `VA-${tag}-${i.toString(36)}`, at(), speed));
    const inspections = rng.poisson(INSPECTIONS_PER_DAY * share);
    for (let i = 0; i < inspections; i++) {
      const c = this.community(rng);
      const t = at();
      const found = rng.chance(0.3) ? rng.int(1, 3) : 0;
      out.push({
        at: t,
        event: {
          id: `GI-${tag}-${i.toString(36)}`,
          type: 'grid_inspection.reported',
          occurredAt: iso(t),
          data: {
            inspectionId: `GI-${tag}-${i.toString(36)}`,
            inspectorId: `GRID-${c.code.slice(-6)}-${rng.int(1, 12)}`,
            location: this.pointIn(rng, c),
            communityCode: c.code,
            issuesFound: found,
            issuesHandledOnSite: found ? rng.int(0, found) : 0,
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
            purpose: rng.weighted({ inspection: 6, report: 2, query: 2 }),
            location: this.pointIn(rng, c),
            communityCode: c.code,
          },
        },
      });
    }
  }

  /** A video alert and what the hall does with it: acknowledge, then confirm as an appeal or dismiss. */
  private alertScript(rng: Random, id: string, t0: number, speed: number): Scheduled[] {
    const cam = rng.pick(this.cameras);
    const algorithm = rng.pick(taxonomy.algorithms);
    const out: Scheduled[] = [
      {
        at: t0,
        event: {
          id: `${id}.0`,
          type: 'video_alert.raised',
          occurredAt: iso(t0),
          data: {
            alertId: id,
            cameraId: cam.id,
            algorithm: algorithm.code,
            confidence: Math.round(rng.between(0.62, 0.99) * 100) / 100,
            location: { lon: cam.lon, lat: cam.lat },
            communityCode: cam.community,
          },
        },
      },
    ];
    const outcome = rng.weighted(ALERT_OUTCOME_MIX);
    let t = t0 + (rng.chance(SLOW_ACK_SHARE) ? rng.between(1, 6) * HOUR : rng.between(1, 15) * MIN) / speed;
    out.push({
      at: t,
      event: { id: `${id}.1`, type: 'video_alert.acknowledged', occurredAt: iso(t), data: { alertId: id, by: 'operator' } },
    });
    t += (rng.between(2, 20) * MIN) / speed;
    if (outcome === 'dismissed') {
      out.push({
        at: t,
        event: {
          id: `${id}.2`,
          type: 'video_alert.dismissed',
          occurredAt: iso(t),
          data: { alertId: id, reason: rng.pick(DISMISS_REASONS) },
        },
      });
      return out;
    }
    const appealId = `${id}-AP`;
    out.push({ at: t, event: { id: `${id}.2`, type: 'video_alert.confirmed', occurredAt: iso(t), data: { alertId: id, appealId } } });
    const c = this.geo.area(cam.community)!;
    out.push(
      ...appealScript(
        rng,
        {
          appealId,
          at: t + 1,
          community: c,
          streetName: this.streetName(c),
          point: { lon: cam.lon, lat: cam.lat },
          channel: 'video_ai',
          category: algorithm.category,
          subcategory: algorithm.subcategory,
          nature: 'request',
        },
        speed,
      ),
    );
    return out;
  }

  private streetName(c: AreaInfo): string {
    return (c.parent && this.geo.area(c.parent)?.name) || '';
  }

  private community(rng: Random): AreaInfo {
    return this.geo.area(rng.weighted(this.communityWeights))!;
  }

  /** A random point inside the community, near its centre. */
  private pointIn(rng: Random, c: AreaInfo): { lon: number; lat: number } {
    for (let i = 0; i < 20; i++) {
      const lon = Math.round((c.center[0] + rng.normal(0, 0.006)) * 1e6) / 1e6;
      const lat = Math.round((c.center[1] + rng.normal(0, 0.005)) * 1e6) / 1e6;
      if (this.geo.locate(lon, lat) === c.code) return { lon, lat };
    }
    return { lon: c.center[0], lat: c.center[1] };
  }

  private async post(events: CityEvent[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`ingest did not answer a batch of ${events.length} within ${SEND_TIMEOUT_MS / 1000} s`)),
        SEND_TIMEOUT_MS,
      );
    });
    const res = await Promise.race([this.send(events), timeout]).finally(() => clearTimeout(timer));
    if (res.rejected > 0) {
      const first = res.results.find((r) => r.status === 'rejected');
      throw new Error(`simulator events rejected (${res.rejected}): ${first?.id}: ${first?.reason}`);
    }
  }
}
