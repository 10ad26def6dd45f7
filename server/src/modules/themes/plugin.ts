/**
 * The theme service (`app.themes`): `themes.sqlite` beside the event log (PostgreSQL with
 * DATABASE_URL, shared by the nodes), seeded with the built-in
 * themes that are missing, and every change announced to the live channel so walls reload it.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { SqliteThemeStore } from './sqlite-theme-store.ts';
import { PostgresThemeStore } from './postgres-theme-store.ts';
import type { ThemeStore } from './theme-store.ts';
import { ThemeService } from './theme-service.ts';
import { BUILTIN_THEMES, communityThemes } from '@commandhall/shared/themes';

declare module 'fastify' {
  interface FastifyInstance {
    themes: ThemeService;
  }
}

async function themes(app: FastifyInstance) {
  const store: ThemeStore = app.pg ? await PostgresThemeStore.open(app.pg) : new SqliteThemeStore(app.config.DATA_DIR);
  app.addHook('onClose', () => store.close());
  // every community hall gets an "x" theme of its own, generated from the registry, unless a built-in one is its
  const generated = communityThemes(app.profiles, (code) => app.geo.area(code)?.nameEn ?? code, BUILTIN_THEMES);
  const service = new ThemeService({
    store,
    builtins: [...BUILTIN_THEMES, ...generated],
    now: app.clock,
    hasScope: (scope) => app.engine.hasScope(scope),
    audit: (e) => app.auth.audit(e),
    onChange: (change) => app.live.nsp.emit('themes:changed', change),
  });
  const added = await service.seed();
  if (added) app.log.info({ themes: added }, 'added the built-in themes');
  app.decorate('themes', service);
}

export default fp(themes, { name: 'themes', dependencies: ['core', 'auth', 'live'] });
