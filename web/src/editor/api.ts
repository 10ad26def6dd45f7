/**
 * The themes API as the editor uses it (server/src/routes/themes.ts): themes with their latest
 * version and whether this principal may change them, versions, save and rollback, and a hall's
 * playlist. Errors arrive as `ApiError`, with the validator's problems in `details`.
 */
import type { Playlist, PlaylistEntry, Theme, ThemeIssue, ThemeVersion } from '@commandhall/shared/themes';
import { api, ApiError } from '../api/http.ts';

export type ListedTheme = ThemeVersion & { editable: boolean };
export type HallPlaylist = Playlist & { editable: boolean };

const themePath = (id: string) => `/api/v1/themes/${encodeURIComponent(id)}`;
const playlistPath = (hall: string) => `/api/v1/halls/${encodeURIComponent(hall)}/playlist`;

export const listThemes = async (hall: string): Promise<ListedTheme[]> =>
  (await api<{ themes: ListedTheme[] }>('/api/v1/themes', { query: { hall } })).themes;

export const getTheme = (id: string) => api<ListedTheme>(themePath(id));

export const themeVersions = async (id: string): Promise<ThemeVersion[]> =>
  (await api<{ versions: ThemeVersion[] }>(`${themePath(id)}/versions`)).versions;

/** `baseVersion`: the version the change was made on (0 for a new theme): a newer one on the server is refused. */
export const saveTheme = (theme: Theme, baseVersion: number) =>
  api<ThemeVersion>(themePath(theme.id), { method: 'PUT', body: theme, query: { baseVersion } });

export const rollbackTheme = (id: string, version: number) =>
  api<ThemeVersion>(`${themePath(id)}/rollback`, { method: 'POST', body: { version } });

/** Deletes the theme; refused (409) while a hall's saved rotation shows it. */
export const deleteTheme = (id: string) => api<{ id: string; version: number }>(themePath(id), { method: 'DELETE' });

export const getPlaylist = (hall: string) => api<HallPlaylist>(playlistPath(hall));

export const savePlaylist = (hall: string, entries: PlaylistEntry[]) =>
  api<Playlist>(playlistPath(hall), { method: 'PUT', body: { entries } });

/** A refusal as the editor shows it: the server's message and, for a theme or playlist, each problem. */
export interface ServerRefusal {
  message: string;
  details: ThemeIssue[];
}

export function refusal(e: unknown): ServerRefusal {
  if (!(e instanceof ApiError)) return { message: String(e), details: [] };
  const details = Array.isArray(e.details)
    ? (e.details as unknown[]).filter((d): d is ThemeIssue => typeof (d as ThemeIssue)?.message === 'string')
    : [];
  return { message: e.message, details };
}
