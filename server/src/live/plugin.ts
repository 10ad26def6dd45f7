/**
 * Attaches the live channel to the HTTP server and starts its tick once the app is ready.
 * Every socket is authenticated on connect (session cookie, a wall's `auth.token`, or the demo
 * wall in demo mode), every watch is checked against the principal's scope, and sockets whose
 * credential was revoked, signed out or disabled — here or by the CLI — are dropped within
 * seconds. Alert updates are sent after each ingested batch and on each tick; camera changes
 * mark their scopes for the next patch.
 */
import type { IncomingHttpHeaders } from 'node:http';
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

/**
 * How often live sockets' credentials are checked again: a device revoked, a user disabled or a
 * session ended — on this node, another node or by the CLI — drops its sockets within this long
 * (plus one read of the store). Each pass is two reads for all the node's sockets, whatever their
 * number (AuthService.stillValidAll); nothing is cached between passes.
 */
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
    deflate: app.config.LIVE_DEFLATE === 'on',
    adapter: redis
      ? createAdapter(redis, { streamName: `${prefix}socket.io`, sessionKeyPrefix: `${prefix}sio:session:`, blockTimeInMs: 1000 })
      : undefined,
    guard: async (socket, scope) => {
      const p = socket.data.principal as Principal | undefined;
      // the area first: outside it, no read of the store is needed to say no
      if (p && canReadScope(p, scope) && (await app.auth.stillValid(p))) return null;
      return { code: 'forbidden', message: 'this scope is outside your area' };
    },
  });

  /** Who a connection is: a wall's token, else this site's session cookie, else the demo wall (demo mode). */
  const identify = async ({ headers, auth }: { headers: IncomingHttpHeaders; auth: unknown }): Promise<Principal | null> => {
    const token = (auth as LiveAuth | undefined)?.token;
    if (typeof token === 'string' && token) return app.auth.fromDeviceToken(token);
    // a cookie rides along on cross-site requests too: only this site's pages may use it
    const origin = headers.origin;
    const sameSite = !origin || origin.replace(/^https?:\/\//, '') === headers.host || allowedOrigins.has(origin);
    const session = sameSite ? await app.auth.fromSession(fastifyCookie.parse(headers.cookie ?? '')[SESSION_COOKIE]) : null;
    return session ?? app.auth.demoPrincipal();
  };

  channel.nsp.use(async (socket, next) => {
    const token = (socket.handshake.auth as LiveAuth | undefined)?.token;
    let p: Principal | null;
    try {
      p = await identify(socket.handshake);
    } catch (err) {
      app.log.warn({ err }, 'a live connection could not be authenticated: the store did not answer');
      const e = new Error('internal') as Error & { data: unknown };
      e.data = { code: 'internal', message: 'credentials cannot be checked just now: try again' };
      return next(e);
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

  let checking = false;
  const recheck = async () => {
    // a pass still reading (a slow store) is not doubled
    if (checking) return;
    checking = true;
    try {
      const sockets = [...channel.nsp.sockets.values()].filter((s) => s.data.principal);
      const verdicts = await app.auth.stillValidAll(sockets.map((s) => s.data.principal as Principal));
      sockets.forEach((socket, i) => {
        if (verdicts[i] || !socket.connected) return;
        socket.emit('live:error', { code: 'unauthorized', message: 'signed out, or the display was unpaired', event: 'auth' });
        socket.disconnect(true);
      });
    } catch (err) {
      // the store not answering is no verdict: the sockets stay, and the next pass asks again
      app.log.warn({ err }, 'live credentials could not be re-checked: the store did not answer');
    } finally {
      checking = false;
    }
  };
  // a recovered connection skips the middleware: check that its principal still holds
  channel.nsp.on('connection', (socket) => {
    if (!socket.recovered) return;
    const p = socket.data.principal as Principal | undefined;
    const drop = () => socket.disconnect(true);
    if (!p) return drop();
    // a store that cannot answer leaves it to the next pass
    app.auth.stillValid(p).then(
      (ok) => ok || drop(),
      () => {},
    );
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
    timer = setInterval(() => void recheck(), RECHECK_MS);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
    await channel.close();
  });
}

export default fp(live, { name: 'live', dependencies: ['core', 'auth', 'cameras'] });
