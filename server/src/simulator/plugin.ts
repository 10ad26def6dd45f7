/**
 * Runs the district simulator when SIMULATOR=on. Its events go through `POST /api/v1/events`
 * (by inject: the same route, validation and store as any producer, no back door). On an empty log
 * it first writes the history of the last SIM_BACKFILL_DAYS days; otherwise it resumes open appeals
 * and components not back to normal.
 *
 * The default deployment's cameras are the simulator's (with the simulator or demo mode on): they
 * are registered here, and the simulator plays the video platform through the camera API
 * (snapshots with its alerts, heartbeats, outages now and then). No other part of the server
 * imports the simulator.
 *
 * With several nodes it is one of the once-only jobs (core/leader.ts): it runs where the lead is.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { OPEN_STATUSES, type CityEvent, type IngestResponse } from '@commandhall/shared';
import { DistrictSimulator } from './district-simulator.ts';
import { progressBar } from './progress-bar.ts';
import { seedSimulatorCameras } from './camera-seed.ts';
import { simulatorLink } from './camera-link.ts';

declare module 'fastify' {
  interface FastifyInstance {
    simulator: DistrictSimulator | null;
  }
}

async function simulator(app: FastifyInstance) {
  const c = app.config;
  if (c.SIMULATOR === 'on' || c.DEMO_MODE === 'on') {
    const added = await seedSimulatorCameras(app.cameras, app.geo, c.SIM_SEED);
    if (added) app.log.info({ cameras: added }, "registered the simulator's cameras");
  }
  if (c.SIMULATOR !== 'on') {
    app.decorate('simulator', null);
    return;
  }
  // its own producer key, made for this run by the auth bootstrap and claimed when it starts
  const key = app.authBootstrap.simulatorKey!;
  const send = async (events: CityEvent[]): Promise<IngestResponse> => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${key}` },
      payload: { events },
    });
    if (res.statusCode >= 400 && res.statusCode !== 422) throw new Error(`ingest answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    return res.json() as IngestResponse;
  };
  const sim = new DistrictSimulator(
    app.geo,
    {
      appealsPerDay: c.SIM_APPEALS_PER_DAY,
      scale: c.SIM_SCALE,
      profiles: app.profiles,
      components: app.componentService?.registry,
      speed: c.SIM_SPEED,
      seed: c.SIM_SEED,
      utcOffsetMinutes: c.UTC_OFFSET_MINUTES,
      now: app.clock,
      onError: (err) => app.log.warn({ err }, 'simulator step failed'),
    },
    send,
  );
  app.decorate('simulator', sim);

  // one simulator for the whole deployment: it runs on the node that leads, and moves with the lead
  let first = true;
  app.leader.run({
    name: 'simulator',
    start: async () => {
      // the one valid secret of the simulator's key is the running simulator's (another node may have held it)
      await app.authBootstrap.claimSimulatorKey();
      if (first) sim.connectCameras(simulatorLink(app, key, c.CAMERA_OFFLINE_SECONDS * 1000));
      const resumeAt = first;
      first = false;
      // not awaited: the server listens at once and the history fills in behind it
      void (async () => {
        if ((await app.store.count()) === 0 && c.SIM_BACKFILL_DAYS > 0) {
          const n = await sim.backfill(c.SIM_BACKFILL_DAYS, progressBar(`Simulating ${c.SIM_BACKFILL_DAYS} days of history`));
          app.log.info({ events: n }, 'simulator backfill done');
        } else if (resumeAt) {
          const open = [...app.engine.appeals.values()].filter((a) => OPEN_STATUSES.has(a.status));
          sim.resume(open);
          const held = [...app.engine.components].map(([id, c]) => ({ id, ...c }));
          sim.resumeComponents(held);
          app.log.info({ open: open.length, components: held.length }, 'simulator resumed open appeals and components under repair');
        }
        sim.start();
      })().catch((err) => app.log.error({ err }, 'simulator stopped'));
    },
    stop: () => sim.stop(),
  });
}

export default fp(simulator, { name: 'simulator', dependencies: ['core', 'auth', 'cameras'] });
