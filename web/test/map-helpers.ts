/**
 * Shared set-up for tests of the map over the fake MapLibre (./fake-maplibre.ts): fake timers at a
 * fixed time, a server that knows no cameras, and ways to mount the map, or one of its composables
 * in a component of its own, with the stores and i18n they read.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h, nextTick } from 'vue';
import type { createPinia } from 'pinia';
import MapView from '../src/map/MapView.vue';
import { createAppI18n } from '../src/i18n/index.ts';
import type { Lang } from '../src/format/number.ts';
import { maps, resetFakeMaps, type FakeMap } from './fake-maplibre.ts';
import { D, freshPinia } from './widget-helpers.ts';

/** Before each test: no maps yet, fake timers at 2026-11-27 11:30 in Pingshan, and a camera
 * registry that answers with none (the camera layer asks for them). */
export function setupMapTests(opts: { zoom?: number } = {}): void {
  beforeEach(() => {
    resetFakeMaps(opts);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(Date.UTC(2026, 10, 27, 3, 30));
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ cameras: [] }), { status: 200 })),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    document.body.innerHTML = '';
  });
}

/** The newest map the app created. */
export function lastMap(): FakeMap {
  const m = maps.at(-1);
  if (!m) throw new Error('no map was created');
  return m;
}

/** Lets the map's style "load", then the throttled updates run (they wait up to a second). */
export async function loadMap(m: FakeMap = lastMap()): Promise<FakeMap> {
  m.fire('load');
  vi.advanceTimersByTime(1100);
  await nextTick();
  return m;
}

type MountOpts = { lang?: Lang; pinia?: ReturnType<typeof createPinia> };

/** MapView alone, in the page (labels are measured from laid-out elements). */
export async function mountMapView(props: Record<string, unknown> = {}, opts: MountOpts = {}) {
  const wrapper = mount(MapView, {
    props: { scope: D, ...props },
    global: { plugins: [opts.pinia ?? freshPinia(), createAppI18n(opts.lang ?? 'zh-CN')] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

/** Runs `composable` in the setup of a component of its own, mounted in the page; unmounting the
 * wrapper ends the composable's scope. */
export function withSetup<T>(composable: () => T, opts: MountOpts = {}) {
  let result!: T;
  const Host = defineComponent({
    setup() {
      result = composable();
      return () => h('div');
    },
  });
  const wrapper = mount(Host, {
    global: { plugins: [opts.pinia ?? freshPinia(), createAppI18n(opts.lang ?? 'zh-CN')] },
    attachTo: document.body,
  });
  return { result, wrapper };
}
