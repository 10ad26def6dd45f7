/**
 * Which map layers a person (or a wall) chose for a hall: kept in the browser's local storage per
 * principal and per hall scope, so that a director's choice for 六联社区's map stays theirs and
 * that hall's, and a wall keeps its own across restarts. Without a choice, the layout's layers.
 */
import { ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { MAP_LAYERS, type MapLayer } from '@commandhall/shared/themes';
import { HEAT_WINDOWS, type HeatWindow } from './useHeatLayer.ts';

const PREFIX = 'ch.map-layers.v1';

export const layerKey = (who: string, scope: string): string => `${PREFIX}:${who}:${scope}`;

interface Stored {
  layers: MapLayer[];
  window: HeatWindow;
}

/** What was stored under the key, with anything unknown dropped (pure but for storage). */
export function readChoice(key: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Stored | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<Stored>;
    const layers = Array.isArray(v.layers) ? v.layers.filter((l): l is MapLayer => (MAP_LAYERS as readonly string[]).includes(l)) : null;
    if (!layers) return null;
    return { layers, window: HEAT_WINDOWS.includes(v.window as HeatWindow) ? (v.window as HeatWindow) : 'today' };
  } catch {
    return null;
  }
}

/**
 * The layers on for `who` at `scope`'s hall, starting from `fallback` until they choose.
 * `toggle` and `setWindow` keep the choice.
 */
export function useLayerChoice(opts: {
  who: MaybeRefOrGetter<string>;
  scope: MaybeRefOrGetter<string>;
  fallback: MaybeRefOrGetter<readonly MapLayer[]>;
}) {
  const layers = ref<readonly MapLayer[]>([]);
  const window = ref<HeatWindow>('today');
  const chosen = ref(false);
  const key = () => layerKey(toValue(opts.who), toValue(opts.scope));

  function load(): void {
    const stored = readChoice(key());
    chosen.value = !!stored;
    layers.value = stored?.layers ?? [...toValue(opts.fallback)];
    window.value = stored?.window ?? 'today';
  }

  function save(): void {
    chosen.value = true;
    try {
      globalThis.localStorage?.setItem(key(), JSON.stringify({ layers: layers.value, window: window.value }));
    } catch {
      /* private mode or full: the choice lasts as long as the page */
    }
  }

  function toggle(l: MapLayer): void {
    layers.value = layers.value.includes(l)
      ? layers.value.filter((x) => x !== l)
      : MAP_LAYERS.filter((x) => x === l || layers.value.includes(x));
    save();
  }

  function setWindow(w: HeatWindow): void {
    window.value = w;
    save();
  }

  watch([key, () => toValue(opts.fallback).join()], load, { immediate: true });
  return { layers, window, chosen, toggle, setWindow };
}
