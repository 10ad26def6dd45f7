/**
 * A hall's rotation. The theme on screen is a pure function of the playlist and the server's
 * clock, so every display of a hall (and every tile of a spliced wall) shows the same theme and
 * changes at the same moment without talking to the others.
 */
import { Type, type Static } from 'typebox';
import { parseScope, type ScopeLevel } from '../scope.ts';
import type { Playlist, PlaylistEntry, Theme } from './types.ts';

export const PLAYLIST_MIN_SECONDS = 10;
export const PLAYLIST_MAX_SECONDS = 3600;
export const PLAYLIST_MAX_ENTRIES = 20;
/** How long each theme of a default playlist stays on the wall. */
export const DEFAULT_THEME_SECONDS = 60;
/** Every default rotation counts from here: halls that keep the default change in step. */
export const DEFAULT_EPOCH = '2026-01-01T00:00:00.000+08:00';

export const PlaylistBody = Type.Object(
  {
    entries: Type.Array(
      Type.Object(
        {
          themeId: Type.String({ minLength: 1, maxLength: 40 }),
          seconds: Type.Integer({ minimum: PLAYLIST_MIN_SECONDS, maximum: PLAYLIST_MAX_SECONDS }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: PLAYLIST_MAX_ENTRIES },
    ),
  },
  { additionalProperties: false },
);
export type PlaylistBody = Static<typeof PlaylistBody>;

/** The common themes, in the order a hall shows them; `-community` variants replace city-wide ones. */
export const COMMON_THEME_ORDER = ['overview', 'appeals', 'video', 'grid', 'components'] as const;

/** The hall that owns a theme, as a scope id (`community:…` for a bare community code); null for a common theme. */
export function ownerHall(theme: Pick<Theme, 'owner'>): string | null {
  if (!theme.owner) return null;
  return theme.owner.includes(':') ? theme.owner : `community:${theme.owner}`;
}

/** A theme fits a hall when the hall's level is one of its levels and, if it has an owner, the hall is its owner. */
export function themeFitsHall(theme: Pick<Theme, 'levels' | 'owner'>, scope: string): boolean {
  const s = parseScope(scope);
  if (!s || !theme.levels.includes(s.level)) return false;
  const owner = ownerHall(theme);
  return owner === null || owner === scope;
}

/** Whether `t` is `base` or a variant of it (`overview-community`, a hall's `overview-440310`…). */
const isVariantOf = (t: Pick<Theme, 'id'>, base: string) => t.id === base || t.id.startsWith(`${base}-`);

/**
 * What a hall shows until someone sets its playlist: each common theme in its variant for the
 * hall's level (the hall's own copy of it when it has one), then the hall's other own themes.
 */
export function defaultPlaylist(scope: string, themes: readonly Theme[]): Playlist {
  const fits = themes.filter((t) => themeFitsHall(t, scope));
  const entries: PlaylistEntry[] = [];
  const used = new Set<string>();
  for (const base of COMMON_THEME_ORDER) {
    const t = fits.find((x) => x.owner && isVariantOf(x, base)) ?? fits.find((x) => !x.owner && isVariantOf(x, base));
    if (!t) continue;
    entries.push({ themeId: t.id, seconds: DEFAULT_THEME_SECONDS });
    used.add(t.id);
  }
  for (const t of fits) if (t.owner && !used.has(t.id)) entries.push({ themeId: t.id, seconds: DEFAULT_THEME_SECONDS });
  return { scope, entries, epoch: DEFAULT_EPOCH, version: 0 };
}

export interface RotationPosition {
  index: number;
  entry: PlaylistEntry;
  /** Server time (ms) this theme came on and goes off. */
  since: number;
  until: number;
}

/** The playlist entry on screen at server time `now`. */
export function rotationAt(playlist: Pick<Playlist, 'entries' | 'epoch'>, now: number): RotationPosition | null {
  const { entries } = playlist;
  if (entries.length === 0) return null;
  const cycle = entries.reduce((s, e) => s + e.seconds * 1000, 0);
  const epoch = Date.parse(playlist.epoch);
  const into = (((now - epoch) % cycle) + cycle) % cycle;
  const cycleStart = now - into;
  let offset = 0;
  let i = 0;
  // the last entry takes whatever is left, so rounding can never fall off the end
  while (i < entries.length - 1 && into >= offset + entries[i].seconds * 1000) offset += entries[i++].seconds * 1000;
  return { index: i, entry: entries[i], since: cycleStart + offset, until: cycleStart + offset + entries[i].seconds * 1000 };
}

export const levelOf = (scope: string): ScopeLevel | null => parseScope(scope)?.level ?? null;
