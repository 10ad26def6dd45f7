/**
 * Where themes and playlists are kept: `themes.sqlite` beside the event log (sqlite-theme-store.ts)
 * or PostgreSQL, shared by every node (postgres-theme-store.ts). The rules both keep: a theme is
 * never overwritten (each save adds a version, a rollback adds a version equal to an older one), a
 * playlist keeps its latest form with a version counting its saves, and a deleted theme keeps its
 * versions behind a tombstone that hides it; saving the same id again brings it back.
 */
import type { Playlist, PlaylistEntry, Theme, ThemeVersion } from '@commandhall/shared/themes';

export interface ThemeStore {
  /** The latest version of every theme not deleted, by id. */
  latestAll(): Promise<ThemeVersion[]>;
  /** The latest version of a theme that is not deleted. */
  latest(id: string): Promise<ThemeVersion | null>;
  version(id: string, version: number): Promise<ThemeVersion | null>;
  /** Was a theme of this id ever saved, deleted or not? (The built-ins are seeded only once.) */
  everSaved(id: string): Promise<boolean>;
  deleted(id: string): Promise<boolean>;
  /** Hides the theme; its versions stay. */
  markDeleted(id: string, by: string, at: number): Promise<void>;
  /** Halls whose saved playlist names the theme. */
  hallsShowing(id: string): Promise<string[]>;
  /** Every version of a theme, newest first. */
  history(id: string): Promise<ThemeVersion[]>;
  /** Adds the next version atomically (two saves at once get consecutive versions). */
  append(theme: Theme, savedBy: string, at: number, restoredFrom?: number): Promise<ThemeVersion>;
  playlist(scope: string): Promise<Playlist | null>;
  /** Saves the playlist as its next version (atomically). */
  savePlaylist(scope: string, entries: PlaylistEntry[], epoch: string, savedBy: string, at: number): Promise<Playlist>;
  close(): Promise<void>;
}
