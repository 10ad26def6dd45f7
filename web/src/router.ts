/**
 * `/` opens the hall of this screen's area (the district for the demo wall and for directors who
 * see it all) with its themes in rotation; `/hall/<scope>` any hall; `/wall/<scope>` a hall's
 * overview alone; `/analysis/<scope>` its appeals analysis alone;
 * `/console/<scope>` the director console;
 * `/signin`, `/pair` (wall displays), `/code/<componentId>` (a smart code's scan page, public) and `/admin/…`. The scope is always in the URL, so a reload
 * or a shared link shows the same place; a scope the principal may not read sends it home.
 */
import { createRouter, createWebHistory, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import { parseScope } from '@commandhall/shared/scope';
import { rootScope } from './deployment.ts';
import { useSessionStore } from './stores/session.ts';

const HallView = () => import('./views/HallView.vue');
const ConsoleView = () => import('./views/ConsoleView.vue');
const SignInView = () => import('./views/SignInView.vue');
const PairView = () => import('./views/PairView.vue');
const AdminView = () => import('./views/AdminView.vue');
const CodeView = () => import('./views/CodeView.vue');

declare module 'vue-router' {
  interface RouteMeta {
    /** Who may open the route: anyone, any principal (person, display, demo wall), administrators. */
    access?: 'public' | 'principal' | 'admin';
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: HallView, meta: { access: 'principal' } },
  { path: '/hall', redirect: '/' },
  { path: '/hall/:scope', name: 'hall', component: HallView, props: true, meta: { access: 'principal' } },
  { path: '/wall', redirect: '/' },
  {
    path: '/wall/:scope',
    name: 'wall',
    component: HallView,
    props: (r) => ({ scope: r.params.scope, pin: 'overview' }),
    meta: { access: 'principal' },
  },
  {
    path: '/analysis/:scope',
    name: 'analysis',
    component: HallView,
    props: (r) => ({ scope: r.params.scope, pin: 'appeals' }),
    meta: { access: 'principal' },
  },
  { path: '/analysis', redirect: '/' },
  { path: '/console', name: 'console-home', component: ConsoleView, meta: { access: 'principal' } },
  { path: '/console/:scope', name: 'console', component: ConsoleView, props: true, meta: { access: 'principal' } },
  {
    path: '/console/:scope/appeals',
    name: 'console-appeals',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'appeals' }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/alerts',
    name: 'console-alerts',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'alerts' }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/components',
    name: 'console-components',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'components' }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/components/:id',
    name: 'console-component',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'components', componentId: r.params.id }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/grid',
    name: 'console-grid',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'grid' }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/themes',
    name: 'console-themes',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'themes' }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/themes/:id',
    name: 'console-theme',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'themes', themeId: r.params.id }),
    meta: { access: 'principal' },
  },
  {
    path: '/console/:scope/appeals/:id',
    name: 'console-appeal',
    component: ConsoleView,
    props: (r) => ({ scope: r.params.scope, tab: 'appeals', appealId: r.params.id }),
    meta: { access: 'principal' },
  },
  { path: '/signin', name: 'signin', component: SignInView, meta: { access: 'public' } },
  // a smart code's scan page: whoever scanned a label, signed in or not
  { path: '/code/:id', name: 'code', component: CodeView, props: true, meta: { access: 'public' } },
  { path: '/pair', name: 'pair', component: PairView, meta: { access: 'public' } },
  { path: '/admin', redirect: '/admin/users' },
  {
    path: '/admin/:section(users|devices|keys|audit|quarantine)',
    name: 'admin',
    component: AdminView,
    props: true,
    meta: { access: 'admin' },
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

/**
 * Where a navigation may go, given who is looking (pure, for tests): walls without a principal
 * go to pairing, everything else to sign-in; scope-less and out-of-area URLs go to the principal's
 * own area; malformed scopes too.
 */
export function decide(
  to: Pick<RouteLocationNormalized, 'name' | 'params' | 'query' | 'fullPath' | 'meta'>,
  s: { status: string; home: string | null; isAdmin: boolean; isPerson: boolean; canRead(scope: string): boolean },
): true | { name: string; params?: Record<string, string>; query?: Record<string, string>; replace: true } {
  const access = to.meta.access ?? 'public';
  if (access === 'public') return true;
  // the server cannot be asked yet: show what was asked for; the session store asks again
  if (s.status === 'unreachable' || s.status === 'loading') return true;
  const isWall = to.name === 'hall' || to.name === 'wall' || to.name === 'home' || to.name === 'analysis';
  if (s.status === 'unpaired') return { name: 'pair', query: { reason: 'revoked' }, replace: true };
  if (s.status === 'anonymous')
    return isWall ? { name: 'pair', replace: true } : { name: 'signin', query: { next: to.fullPath }, replace: true };
  const home = s.home ?? rootScope();
  if (access === 'admin' && !s.isAdmin)
    return s.isPerson
      ? { name: 'console', params: { scope: home }, replace: true }
      : { name: 'signin', query: { next: to.fullPath }, replace: true };
  if (to.name === 'home') return { name: 'hall', params: { scope: home }, query: to.query as Record<string, string>, replace: true };
  if (to.name === 'console-home') return { name: 'console', params: { scope: home }, replace: true };
  const scope = typeof to.params.scope === 'string' ? to.params.scope : null;
  if (scope !== null && (!parseScope(scope) || !s.canRead(scope)))
    return {
      name:
        to.name === 'console-appeal'
          ? 'console-appeals'
          : to.name === 'console-theme'
            ? 'console-themes'
            : to.name === 'console-component'
              ? 'console-components'
              : String(to.name),
      params: { scope: home },
      query: to.query as Record<string, string>,
      replace: true,
    };
  return true;
}

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.beforeEach(async (to) => {
    const session = useSessionStore();
    await session.ready();
    return decide(to, session);
  });
  router.afterEach((to) => {
    const name = String(to.name ?? '');
    document.title = name.startsWith('console')
      ? 'Command Hall · Console'
      : name === 'admin'
        ? 'Command Hall · Admin'
        : name === 'signin' || name === 'pair'
          ? 'Command Hall · Sign in'
          : name === 'code'
            ? '智慧码 · Smart code'
            : 'Command Hall';
  });
  return router;
}
