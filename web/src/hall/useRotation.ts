/**
 * The theme on a hall's screen now. It is read from the playlist and the server's clock (see
 * `rotationAt`), so every display of the hall switches at the same moment; a timer wakes at the
 * next switch, and a slow check follows corrections of the clock offset. On a desktop, a person
 * using the screen (pointer, wheel, keys) pauses the rotation until they have left it alone for
 * PAUSE_MS; an unattended wall never pauses.
 */
import { computed, onScopeDispose, ref, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { useEventListener } from '@vueuse/core';
import { rotationAt, type Playlist, type RotationPosition } from '@commandhall/shared/themes';

export const PAUSE_MS = 60_000;
const RECHECK_MS = 5_000;

export interface RotationOptions {
  playlist: MaybeRefOrGetter<Playlist | null | undefined>;
  /** The server's clock, ms. */
  serverNow: () => number;
  /** Shows this theme only (no rotation), e.g. `?theme=video`. */
  pinned?: MaybeRefOrGetter<string | null | undefined>;
  /** Listen for a person's input on this target (default: window). */
  target?: EventTarget | null;
}

export function useRotation(opts: RotationOptions) {
  const position = ref<RotationPosition | null>(null);
  const pausedUntil = ref(0);
  let timer: ReturnType<typeof setTimeout> | null = null;

  function update(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const list = toValue(opts.playlist);
    const now = opts.serverNow();
    if (!list) return void (position.value = null);
    const local = Date.now();
    if (pausedUntil.value > local) {
      timer = setTimeout(update, pausedUntil.value - local + 10);
      return;
    }
    pausedUntil.value = 0;
    const next = rotationAt(list, now);
    const cur = position.value;
    // keep the same object while nothing changed: watchers of the theme do not fire every check
    if (!cur || !next || cur.index !== next.index || cur.since !== next.since || cur.entry.themeId !== next.entry.themeId)
      position.value = next;
    if (next) timer = setTimeout(update, Math.min(RECHECK_MS, Math.max(20, next.until - now + 5)));
  }

  const onInput = () => {
    const first = pausedUntil.value === 0;
    pausedUntil.value = Date.now() + PAUSE_MS;
    if (first) update();
  };
  const target = opts.target === undefined ? globalThis.window : opts.target;
  useEventListener(target, ['pointerdown', 'wheel', 'keydown'], onInput, { passive: true });

  watch(() => toValue(opts.playlist), update, { immediate: true });
  onScopeDispose(() => {
    if (timer) clearTimeout(timer);
  });

  const themeId = computed(() => toValue(opts.pinned) || position.value?.entry.themeId || null);
  const paused = computed(() => pausedUntil.value > 0);
  return { position, themeId, paused, update };
}
