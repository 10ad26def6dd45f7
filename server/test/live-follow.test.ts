/**
 * A screen that follows the patches holds exactly the server's figures. fast-check plays random
 * sequences of district life through the real ingest route and real sockets: appeals created and
 * moved, alerts raised (and merged), acknowledged and dismissed, inspections, component faults,
 * the clock moving (escalations, deadlines, midnight), ticks, and a second screen that comes and
 * goes (alone in its room, or joining one already patched). After every tick each screen, which
 * applies every patch to its snapshot as the web client does, must hold the figures the server
 * would send in a fresh snapshot, byte for byte as JSON; and none may ever have needed a resync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import type { Ack, CityEvent, ClientToServerEvents, ScopeSnapshot, ServerToClientEvents } from '@commandhall/shared';
import { appealCreated, appealMoved, credsOf, makeApp, pointOf, post, tempDir, testClock, LIULIAN } from './helpers.ts';
import { Shown } from './live-figures.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const MIN = 60_000;
const DISTRICT = 'district:440310';
const STREET = 'street:440310001';
const COMMUNITY = `community:${LIULIAN.code}`;
const COMMUNITIES = [LIULIAN.code, '440310001002', '440310005001', '440310003001'];
const STATUSES = ['verified', 'dispatched', 'handling', 'resolved', 'closed', 'rejected'];

/** What the patches of every run held (edited keys, keys sent whole): to show the runs reached them. */
const seen = new Set<string>();

/** A screen: its socket and, per watched scope, the figures it holds. */
class Screen {
  shown = new Map<string, Shown>();
  /** Patches that did not apply (a gap or edits that did not fit): none is expected here. */
  misses: string[] = [];
  constructor(readonly socket: Client) {
    socket.on('metrics:patch', (p) => {
      const s = this.shown.get(p.scope);
      if (!s) return;
      for (const k of Object.keys(p.edits ?? {})) seen.add(`edit ${k}`);
      for (const k of Object.keys(p.changes)) seen.add(`whole ${k}`);
      const r = s.apply(p);
      if (r === 'gap' || r === 'mismatch') this.misses.push(`${p.scope} #${p.seq}: ${r}`);
    });
  }

  /** Watches with a callback, so that the snapshot is in place before the next packet is read. */
  watch(scope: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.timeout(5000).emit('scope:watch', { scope }, (err: Error | null, res: Ack<ScopeSnapshot>) => {
        if (err) return reject(err);
        if ('error' in res) return reject(new Error(res.error.message));
        this.shown.set(scope, new Shown(res.data));
        resolve();
      }),
    );
  }

  async unwatch(scope: string): Promise<void> {
    this.shown.delete(scope);
    await this.socket.timeout(5000).emitWithAck('scope:unwatch', { scope });
  }
}

type Step =
  | { kind: 'create'; where: number; category: string; nature: string }
  | { kind: 'move'; appeal: number; to: string }
  | { kind: 'raise'; alert: number; where: number }
  | { kind: 'decide'; alert: number; action: 'acknowledged' | 'dismissed' }
  | { kind: 'inspect'; where: number; issues: number }
  | { kind: 'component'; where: number; status: 'fault' | 'normal' }
  | { kind: 'advance'; minutes: number }
  | { kind: 'tick' }
  | { kind: 'join' | 'leave' };

const where = fc.nat({ max: COMMUNITIES.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      where,
      category: fc.constantFrom('1', '5', '9'),
      nature: fc.constantFrom('request', 'complaint', 'enquiry'),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), appeal: fc.nat(), to: fc.constantFrom(...STATUSES) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('raise' as const), alert: fc.nat({ max: 8 }), where }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      alert: fc.nat({ max: 8 }),
      action: fc.constantFrom('acknowledged' as const, 'dismissed' as const),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('inspect' as const), where, issues: fc.nat({ max: 2 }) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('component' as const), where, status: fc.constantFrom('fault' as const, 'normal' as const) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 400 }) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'tick' as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const) }), weight: 1 },
);

async function until(cond: () => boolean, what: () => string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting: ${what()}`);
}

describe('a screen following the patches holds the server’s figures', () => {
  const tmp = tempDir();
  const clock = testClock();
  let app: FastifyInstance;
  let url: string;
  const sockets: Client[] = [];
  let run = 0;
  let tick: () => void;

  const connect = async (): Promise<Screen> => {
    const socket: Client = io(`${url}/live`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie: credsOf(app).cookie },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return new Screen(socket);
  };

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now, env: { TICK_MS: '10000' } });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    // ticks only when the test says so
    const real = app.live.tick.bind(app.live);
    app.live.tick = () => undefined;
    tick = real;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app.close();
    tmp.remove();
  });

  it('after every tick, for random sequences of events, clock moves and screens coming and going', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const r = ++run;
        const wall = await connect();
        const visitor = await connect();
        for (const s of [DISTRICT, STREET, COMMUNITY]) await wall.watch(s);
        const appeals: string[] = [];
        const at = () => clock.now() - 1000;
        const alertId = (k: number) => `AL-${r}-${k}`;
        let n = 0;
        const event = (type: string, data: Record<string, unknown>): CityEvent =>
          ({ id: `E-${r}-${++n}`, type, occurredAt: new Date(at()).toISOString(), data }) as CityEvent;

        const check = async () => {
          for (const screen of [wall, visitor])
            for (const [scope, shown] of screen.shown) {
              await until(
                () => shown.seq === app.live.currentSeq(scope),
                () => `${scope} at #${shown.seq}, the server at #${app.live.currentSeq(scope)}`,
              );
              expect(JSON.stringify(shown.metrics), scope).toBe(JSON.stringify(app.engine.snapshot(scope)));
            }
          expect([...wall.misses, ...visitor.misses]).toEqual([]);
        };

        for (const s of steps) {
          const point = 'where' in s ? pointOf(COMMUNITIES[s.where]) : LIULIAN;
          let events: CityEvent[] = [];
          if (s.kind === 'create') {
            const id = `AP-${r}-${appeals.length}`;
            appeals.push(id);
            events = [appealCreated(at(), { appealId: id, where: point, category: s.category, nature: s.nature })];
          } else if (s.kind === 'move' && appeals.length)
            events = [appealMoved(at(), appeals[s.appeal % appeals.length], s.to, s.to === 'dispatched' ? { unit: '坪山街道城管办' } : {})];
          else if (s.kind === 'raise')
            events = [
              event('video_alert.raised', {
                alertId: alertId(s.alert),
                cameraId: `CAM-${s.where}`,
                algorithm: 'shop_outside',
                confidence: 0.9,
                location: point,
              }),
            ];
          else if (s.kind === 'decide')
            events = [
              event(`video_alert.${s.action}`, {
                alertId: alertId(s.alert),
                by: 'op',
                ...(s.action === 'dismissed' ? { reason: '误报' } : {}),
              }),
            ];
          else if (s.kind === 'inspect')
            events = [
              event('grid_inspection.reported', {
                inspectionId: `IN-${r}-${n}`,
                inspectorId: 'G-1',
                location: point,
                communityCode: COMMUNITIES[s.where],
                issuesFound: s.issues,
                issuesHandledOnSite: 0,
              }),
            ];
          else if (s.kind === 'component')
            events = [
              event('component.status_changed', {
                componentId: `C-${s.where}`,
                componentType: 'smart_pole',
                status: s.status,
                location: point,
                communityCode: COMMUNITIES[s.where],
              }),
            ];
          else if (s.kind === 'advance') clock.advance(s.minutes * MIN);
          else if (s.kind === 'join' && !visitor.shown.has(COMMUNITY)) await visitor.watch(COMMUNITY);
          else if (s.kind === 'leave' && visitor.shown.has(COMMUNITY)) await visitor.unwatch(COMMUNITY);
          else if (s.kind === 'tick') {
            tick();
            await check();
          }
          // a rejected event (a move the appeal's status does not allow, an unknown alert) changes nothing: fine
          if (events.length) expect([200, 422]).toContain((await post(app, events)).statusCode);
        }
        tick();
        await check();
        wall.socket.close();
        visitor.socket.close();
      }),
      { numRuns: 40 },
    );
    // the runs exercised the edits that matter and a day rolling over
    for (const k of ['edit recent', 'edit alerts.queue', 'edit map.communities', 'edit appeals.byStatus', 'whole day'])
      expect(seen, k).toContain(k);
  });
});
