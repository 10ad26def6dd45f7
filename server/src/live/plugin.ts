/**
 * Attaches the live channel to the HTTP server and starts its tick once the app is ready.
 * Every socket is authenticated on connect (session cookie, a wall's `auth.token`, or the demo
 * wall in demo mode), every watch is checked against the principal's scope, and sockets whose
 * credential was revoked, signed out or disabled — here or by the CLI — are dropped within
 * seconds. Alert updates are sent after each ingested batch and on each tick; camera changes
 * mark their scopes for the next patch.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { canReadScope, type LiveAuth } from '@commandhall/shared';
import { LiveChannel } from './live-channel.ts';
import type { Principal } from '../modules/auth/principal.ts';
import { SESSION_COOKIE } from '../modules/auth/plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveChannel;
  }
}

/** How often live sockets' credentials are checked again. */
export const RECHECK_MS = 3000;

async function live(app: FastifyInstance) {
  const allowedOrigins = new Set(
    (app.config.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
  // scale-out: the sockets of every node are one Socket.IO server through a Redis stream
  const redis = app.redis;
  const prefix = app.config.REDIS_PREFIX;
  const channel = new LiveChannel(app.server, app.engine, {
    tickMs: app.config.TICK_MS,
    adapter: redis
      ? createAdapter(redis, { streamName: `${prefix}socket.io`, sessionKeyPrefix: `${prefix}sio:session:`, blockTimeInMs: 1000 })
      : undefined,
    guard: (socket, scope) => {
      const p = socket.data.principal as Principal | undefined;
      if (p && app.auth.stillValid(p) && canReadScope(p, scope)) return null;
      return { code: 'forbidden', message: 'this scope is outside your area' };
    },
  });

  channel.nsp.use((socket, next) => {
    const { headers } = socket.handshake;
    const token = (socket.handshake.auth as LiveAuth | undefined)?.token;
    let p: Principal | null;
    if (typeof token === 'string' && token) p = app.auth.fromDeviceToken(token);
    else {
      const session = app.auth.fromSession(fastifyCookie.parse(headers.cookie ?? '')[SESSION_COOKIE]);
      // a cookie rides along on cross-site requests too: only this site's pages may use it
      const origin = headers.origin;
      const sameSite = !origin || origin.replace(/^https?:\/\//, '') === headers.host || allowedOrigins.has(origin);
      p = session && sameSite ? session : app.auth.demoPrincipal();
    }
    if (!p) {
      const err = new Error('unauthorized') as Error & { data: unknown };
      err.data = {
        code: 'unauthorized',
        message: token ? 'the display token is not valid (revoked or unknown): pair the display again' : 'sign in first',
      };
      return next(err);
    }
    socket.data.principal = p;
    next();
  });

  const recheck = () => {
    // sockets of one principal share one verdict per pass
    const verdict = new Map<string, boolean>();
    for (const socket of channel.nsp.sockets.values()) {
      const p = socket.data.principal as Principal | undefined;
      if (!p) continue;
      const key = `${p.kind}:${p.id}:${p.session ?? p.via}`;
      let ok = verdict.get(key);
      if (ok === undefined) verdict.set(key, (ok = app.auth.stillValid(p)));
      if (ok) continue;
      socket.emit('live:error', { code: 'unauthorized', message: 'signed out, or the display was unpaired', event: 'auth' });
      socket.disconnect(true);
    }
  };
  // a recovered connection skips the middleware: check that its principal still holds
  channel.nsp.on('connection', (socket) => {
    const p = socket.data.principal as Principal | undefined;
    if (socket.recovered && (!p || !app.auth.stillValid(p))) socket.disconnect(true);
  });

  app.decorate('live', channel);
  // alert updates go out when their batch is fully applied (the appeal of a confirmation readable)
  app.ingest.onStored(() => channel.flushAlerts());
  // camera figures: the registry's counts, patched when a camera comes, goes, moves or changes status
  app.engine.useCameras(app.cameras);
  const stopCameras = app.cameras.onChange((change) => app.engine.markDirty(change.scopes));
  app.addHook('onClose', async () => stopCameras());
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    channel.start();
    timer = setInterval(recheck, RECHECK_MS);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
    await channel.close();
  });
}

export default fp(live, { name: 'live', dependencies: ['core', 'auth', 'cameras'] });
