/**
 * A hall's playlist being changed: the entries in order with their seconds, moved, added and
 * removed locally, then saved in one request. What the form can check (seconds in range, a theme
 * at most once, at least one entry) is checked before asking; the server's refusal is shown as it
 * is.
 */
import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import {
  DEFAULT_THEME_SECONDS,
  PLAYLIST_MAX_ENTRIES,
  PLAYLIST_MAX_SECONDS,
  PLAYLIST_MIN_SECONDS,
  type PlaylistEntry,
} from '@commandhall/shared/themes';
import { getPlaylist, refusal, savePlaylist, type HallPlaylist, type ServerRefusal } from './api.ts';

export type PlaylistProblem = { kind: 'empty' } | { kind: 'seconds'; index: number } | { kind: 'tooMany' };

/** What is wrong with these entries before the server is asked. */
export function playlistProblems(entries: readonly PlaylistEntry[]): PlaylistProblem[] {
  const out: PlaylistProblem[] = [];
  if (!entries.length) out.push({ kind: 'empty' });
  if (entries.length > PLAYLIST_MAX_ENTRIES) out.push({ kind: 'tooMany' });
  entries.forEach((e, index) => {
    if (!Number.isInteger(e.seconds) || e.seconds < PLAYLIST_MIN_SECONDS || e.seconds > PLAYLIST_MAX_SECONDS)
      out.push({ kind: 'seconds', index });
  });
  return out;
}

/** The entries with the one at `i` moved by `by` places (no change at either end). */
export function moveEntry<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

export function usePlaylistEditor(hall: MaybeRefOrGetter<string>) {
  const playlist = shallowRef<HallPlaylist | null>(null);
  const entries = ref<PlaylistEntry[]>([]);
  const loadError = ref('');
  const busy = ref(false);
  const error = shallowRef<ServerRefusal | null>(null);
  const savedVersion = ref<number | null>(null);

  const editable = computed(() => !!playlist.value?.editable);
  const problems = computed(() => playlistProblems(entries.value));
  const dirty = computed(() => !!playlist.value && JSON.stringify(entries.value) !== JSON.stringify(playlist.value.entries));
  const canSave = computed(() => editable.value && dirty.value && !busy.value && !problems.value.length);

  async function load(): Promise<void> {
    loadError.value = '';
    error.value = null;
    savedVersion.value = null;
    try {
      const p = await getPlaylist(toValue(hall));
      playlist.value = p;
      entries.value = p.entries.map((e) => ({ ...e }));
    } catch (e) {
      playlist.value = null;
      entries.value = [];
      loadError.value = e instanceof Error ? e.message : String(e);
    }
  }
  watch(
    () => toValue(hall),
    () => void load(),
    { immediate: true },
  );

  const edit = (next: PlaylistEntry[]) => {
    entries.value = next;
    savedVersion.value = null;
  };
  const move = (i: number, by: -1 | 1) => edit(moveEntry(entries.value, i, by));
  const remove = (i: number) => edit(entries.value.filter((_, k) => k !== i));
  const add = (themeId: string) => edit([...entries.value, { themeId, seconds: DEFAULT_THEME_SECONDS }]);
  const setSeconds = (i: number, seconds: number) => edit(entries.value.map((e, k) => (k === i ? { ...e, seconds } : e)));
  const reset = () => edit((playlist.value?.entries ?? []).map((e) => ({ ...e })));

  async function save(): Promise<void> {
    if (!canSave.value || !playlist.value) return;
    busy.value = true;
    error.value = null;
    try {
      const p = await savePlaylist(toValue(hall), entries.value);
      playlist.value = { ...p, editable: playlist.value.editable };
      entries.value = p.entries.map((e) => ({ ...e }));
      savedVersion.value = p.version;
    } catch (e) {
      error.value = refusal(e);
    } finally {
      busy.value = false;
    }
  }

  return {
    playlist,
    entries,
    loadError,
    busy,
    error,
    savedVersion,
    editable,
    problems,
    dirty,
    canSave,
    load,
    move,
    remove,
    add,
    setSeconds,
    reset,
    save,
  };
}
