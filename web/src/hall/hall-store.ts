/**
 * What each hall shows: its playlist and the themes in it, from the server. A wall must show
 * something whatever happens, so the last answer is kept in local storage and used while the
 * server cannot be reached (a reload during an outage), and a display that never reached it
 * shows the built-in themes in their default rotation. Changes announced on the live channel
 * (`themes:changed`) and every reconnect fetch again.
 */
import { defineStore } from 'pinia';
import { shallowReactive } from 'vue';
import { BUILTIN_THEMES, defaultPlaylist, type Playlist, type Theme, type ThemeVersion } from '@commandhall/shared/themes';
import type { ThemesChanged } from '@commandhall/shared/live';
import { api } from '../api/http.ts';

export interface HallState {
  playlist: Playlist;
  themes: Record<string, Theme>;
  /** Where it came from: the server now, this display's copy of an earlier answer, or the built-ins. */
  source: 'server' | 'cache' | 'builtin';
}

const RETRY_MS = 10_000;
const cacheKey = (hall: string) => `commandhall.hall.${hall}`;

function readCache(hall: string): HallState | null {
  try {
    const raw = globalThis.localStorage?.getItem(cacheKey(hall));
    return raw ? { ...(JSON.parse(raw) as HallState), source: 'cache' } : null;
  } catch {
    return null; // storage disabled (kiosk mode) or a damaged copy
  }
}

function writeCache(hall: string, s: HallState): void {
  try {
    globalThis.localStorage?.setItem(cacheKey(hall), JSON.stringify(s));
  } catch {
    /* full or disabled: the next start asks the server again */
  }
}

function builtin(hall: string): HallState {
  return {
    playlist: defaultPlaylist(hall, BUILTIN_THEMES),
    themes: Object.fromEntries(BUILTIN_THEMES.map((t) => [t.id, t])),
    source: 'builtin',
  };
}

export const useHallStore = defineStore('hall', () => {
  const halls = shallowReactive(new Map<string, HallState>());
  const retries = new Map<string, ReturnType<typeof setTimeout>>();

  async function load(hall: string): Promise<void> {
    clearTimeout(retries.get(hall));
    retries.delete(hall);
    try {
      const [playlist, list] = await Promise.all([
        api<Playlist>(`/api/v1/halls/${encodeURIComponent(hall)}/playlist`),
        api<{ themes: ThemeVersion[] }>('/api/v1/themes', { query: { hall } }),
      ]);
      const next: HallState = {
        playlist: { scope: playlist.scope, entries: playlist.entries, epoch: playlist.epoch, version: playlist.version },
        themes: Object.fromEntries(list.themes.map((v) => [v.theme.id, v.theme])),
        source: 'server',
      };
      halls.set(hall, next);
      writeCache(hall, next);
    } catch {
      if (!halls.has(hall)) halls.set(hall, readCache(hall) ?? builtin(hall));
      retries.set(
        hall,
        setTimeout(() => void load(hall), RETRY_MS),
      );
    }
  }

  /** A theme or playlist was saved: fetch again the halls it may concern. */
  function changed(c: ThemesChanged): void {
    for (const [hall, s] of halls)
      // a default playlist (version 0) takes in any new theme the hall can show
      if (
        (c.kind === 'playlist' && c.id === hall) ||
        (c.kind === 'theme' && (c.id in s.themes || s.playlist.version === 0 || s.source !== 'server'))
      )
        void load(hall);
  }

  function reloadAll(): void {
    for (const hall of halls.keys()) void load(hall);
  }

  const get = (hall: string): HallState | undefined => halls.get(hall);

  return { halls, load, changed, reloadAll, get };
});

export type HallStore = ReturnType<typeof useHallStore>;
