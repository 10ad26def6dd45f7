/**
 * `/` opens the district wall; `/wall/<scope>` any scope's wall; `/console/<scope>` the director
 * console. The scope is always in the URL, so a reload or a shared link shows the same place.
 */
import { createRouter, createWebHistory, type LocationQuery, type RouteLocationNormalized, type RouteRecordRaw } from 'vue-router';
import { parseScope } from '@commandhall/shared/scope';
import { DEFAULT_SCOPE } from './stores/scopes.ts';

const WallView = () => import('./views/WallView.vue');
const ConsoleView = () => import('./views/ConsoleView.vue');

const withScope = (base: string) => (to: { query: LocationQuery }) => ({ path: `${base}/${DEFAULT_SCOPE}`, query: to.query });

/** A malformed scope in the URL goes to the district rather than to an empty screen. */
function checkScope(to: RouteLocationNormalized) {
  const s = String(to.params.scope ?? '');
  if (!parseScope(s)) return { path: to.path.replace(/[^/]*$/, DEFAULT_SCOPE), query: to.query };
  return true;
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: withScope('/wall') },
  { path: '/wall', redirect: withScope('/wall') },
  { path: '/wall/:scope', name: 'wall', component: WallView, props: true, beforeEnter: checkScope },
  { path: '/console', redirect: withScope('/console') },
  { path: '/console/:scope', name: 'console', component: ConsoleView, props: true, beforeEnter: checkScope },
  { path: '/:rest(.*)*', redirect: withScope('/wall') },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.afterEach((to) => {
    document.title = to.name === 'console' ? 'Command Hall · Console' : 'Command Hall';
  });
  return router;
}
