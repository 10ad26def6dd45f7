/**
 * Themes and hall playlists: reading (every principal, devices included: a wall must load what it
 * shows), saving with validation, versions and rollback, and who may change what:
 * administrators everything; a community director the themes its community owns and its hall's
 * playlist; street and district directors their own hall's playlist. Every change is audited and
 * announced to the walls.
 */
import { isDeepStrictEqual } from 'node:util';
import { isDirector, parseScope } from '@commandhall/shared';
import {
  DEFAULT_EPOCH,
  defaultPlaylist,
  ownerHall,
  themeFitsHall,
  withLayouts,
  validateTheme,
  type Playlist,
  type PlaylistEntry,
  type Theme,
  type ThemeVersion,
} from '@commandhall/shared/themes';
import { actorOf, type Principal } from '../auth/principal.ts';
import { RequestError } from '../../util/request-error.ts';
import type { ThemeStore } from './theme-store.ts';

export class ThemeError extends RequestError {}

export interface ThemeChange {
  kind: 'theme' | 'playlist';
  id: string;
  version: number;
}

export interface ThemeServiceDeps {
  store: ThemeStore;
  /** The themes every installation starts with: shared's built-ins and each community's generated "x" theme. */
  builtins: readonly Theme[];
  now: () => number;
  /** True when the scope is a hall of the loaded geography. */
  hasScope: (scope: string) => boolean;
  audit: (e: {
    actor: string;
    ip: string | null;
    action: string;
    target: string;
    outcome: 'ok' | 'denied';
    details?: unknown;
  }) => Promise<void>;
  onChange: (c: ThemeChange) => void;
}

const SYSTEM = 'system';

export class ThemeService {
  constructor(private d: ThemeServiceDeps) {}

  /**
   * Adds the built-in themes that are missing (a first start, or a release with new ones), and
   * brings a built-in nobody edited up to this release's form (a release that shows it at a new
   * level, the grid cells'); never overwrites edits, and never brings back a built-in an
   * administrator deleted.
   */
  async seed(): Promise<number> {
    let added = 0;
    for (const t of this.d.builtins) {
      if (!(await this.d.store.everSaved(t.id))) {
        await this.d.store.append(t, SYSTEM, this.d.now());
        added++;
        continue;
      }
      const latest = await this.d.store.latest(t.id);
      // compared as stored values: PostgreSQL's jsonb keeps no key order, and JSON keeps no undefined
      if (latest && latest.savedBy === SYSTEM && !isDeepStrictEqual(latest.theme, JSON.parse(JSON.stringify(t)))) {
        await this.d.store.append(t, SYSTEM, this.d.now());
        added++;
      }
    }
    return added;
  }

  /** Latest versions; with a hall, only the themes that hall can show. */
  async list(hall?: string): Promise<ThemeVersion[]> {
    const all = await this.d.store.latestAll();
    return hall ? all.filter((v) => themeFitsHall(v.theme, hall)) : all;
  }

  async get(id: string, version?: number): Promise<ThemeVersion> {
    const v = version === undefined ? await this.d.store.latest(id) : await this.d.store.version(id, version);
    if (!v) throw new ThemeError(404, 'not_found', version === undefined ? `no theme "${id}"` : `theme "${id}" has no version ${version}`);
    return v;
  }

  async history(id: string): Promise<ThemeVersion[]> {
    await this.get(id);
    return this.d.store.history(id);
  }

  /**
   * May this principal change this theme (as it is now, and as it would be saved)? Administrators
   * every theme; a director the themes of its own hall (those the hall owns), never the common ones,
   * which every hall of their levels shows.
   */
  canEdit(p: Principal, theme: Pick<Theme, 'owner'>): boolean {
    if (p.kind !== 'user') return false;
    if (p.role === 'admin') return true;
    return isDirector(p.role) && ownerHall(theme) === p.scope;
  }

  /**
   * Saves the theme as its next version. With `baseVersion` (the version the editor started from;
   * 0 for a new theme), a save over someone else's newer version is refused (409) instead of
   * silently undoing it.
   */
  async save(p: Principal, id: string, body: unknown, ip: string | null = null, baseVersion?: number): Promise<ThemeVersion> {
    const issues = validateTheme(body);
    if (issues.length)
      throw new ThemeError(400, 'invalid_theme', `the theme has ${issues.length} problem(s): ${issues[0].message}`, issues);
    const theme = body as Theme;
    if (theme.id !== id) throw new ThemeError(400, 'invalid_theme', `the body's id "${theme.id}" is not the theme "${id}" of the address`);
    const owner = ownerHall(theme);
    if (owner && !this.d.hasScope(owner))
      throw new ThemeError(400, 'invalid_theme', `owner ${theme.owner} is not a hall of this deployment`);
    const current = await this.d.store.latest(id);
    await this.authorize(p, ip, 'theme.save', id, (!current || this.canEdit(p, current.theme)) && this.canEdit(p, theme));
    if (baseVersion !== undefined && (current?.version ?? 0) !== baseVersion)
      throw new ThemeError(
        409,
        'version_conflict',
        current
          ? `theme "${id}" is at version ${current.version} now (saved by ${current.savedBy} at ${current.savedAt}), not ${baseVersion}: open it again and redo your change`
          : `theme "${id}" does not exist yet`,
      );
    // every shape of wall gets its layout: those drawn by hand as sent, the others reflowed from this base
    const saved = await this.d.store.append(withLayouts(theme), actorOf(p), this.d.now());
    await this.done(p, ip, 'theme.save', `theme:${id}`, { version: saved.version }, { kind: 'theme', id, version: saved.version });
    return saved;
  }

  /** Makes an earlier version the current one again, as a new version (history is never rewritten). */
  async rollback(p: Principal, id: string, version: number, ip: string | null = null): Promise<ThemeVersion> {
    const current = await this.get(id);
    const old = await this.get(id, version);
    await this.authorize(p, ip, 'theme.rollback', id, this.canEdit(p, current.theme) && this.canEdit(p, old.theme));
    const issues = validateTheme(old.theme);
    if (issues.length) throw new ThemeError(409, 'invalid_theme', `version ${version} no longer validates: ${issues[0].message}`, issues);
    const saved = await this.d.store.append(old.theme, actorOf(p), this.d.now(), version);
    await this.done(
      p,
      ip,
      'theme.rollback',
      `theme:${id}`,
      { from: current.version, to: version, version: saved.version },
      {
        kind: 'theme',
        id,
        version: saved.version,
      },
    );
    return saved;
  }

  /**
   * Deletes a theme (who may edit it may delete it). A theme a hall's saved playlist names is
   * refused (409) with those halls: take it out of their rotation first. Halls on the default
   * rotation simply stop showing it.
   */
  async remove(p: Principal, id: string, ip: string | null = null): Promise<{ id: string; version: number }> {
    const current = await this.get(id);
    await this.authorize(p, ip, 'theme.delete', id, this.canEdit(p, current.theme));
    const halls = await this.d.store.hallsShowing(id);
    if (halls.length)
      throw new ThemeError(409, 'theme_in_use', `theme "${id}" is in the rotation of ${halls.join(', ')}: take it out first`, { halls });
    await this.d.store.markDeleted(id, actorOf(p), this.d.now());
    await this.done(p, ip, 'theme.delete', `theme:${id}`, { version: current.version }, { kind: 'theme', id, version: current.version });
    return { id, version: current.version };
  }

  /** The hall's playlist: as saved, else the default for its level and community. */
  async playlist(hall: string): Promise<Playlist> {
    this.checkHall(hall);
    return (
      (await this.d.store.playlist(hall)) ??
      defaultPlaylist(
        hall,
        (await this.list()).map((v) => v.theme),
      )
    );
  }

  canEditPlaylist(p: Principal, hall: string): boolean {
    return p.kind === 'user' && (p.role === 'admin' || (isDirector(p.role) && p.scope === hall));
  }

  async savePlaylist(p: Principal, hall: string, entries: PlaylistEntry[], ip: string | null = null): Promise<Playlist> {
    this.checkHall(hall);
    await this.authorize(p, ip, 'playlist.save', hall, this.canEditPlaylist(p, hall));
    const problems: { path: string; message: string }[] = [];
    const chosen = await Promise.all(entries.map((e) => this.d.store.latest(e.themeId)));
    entries.forEach((e, i) => {
      const t = chosen[i]?.theme;
      if (!t) problems.push({ path: `entries/${i}/themeId`, message: `no theme "${e.themeId}"` });
      else if (!themeFitsHall(t, hall))
        problems.push({
          path: `entries/${i}/themeId`,
          message: t.owner ? `theme "${t.id}" belongs to the hall ${ownerHall(t)}` : `theme "${t.id}" is for ${t.levels.join(', ')} halls`,
        });
    });
    if (problems.length) throw new ThemeError(400, 'invalid_playlist', problems[0].message, problems);
    const epoch = (await this.d.store.playlist(hall))?.epoch ?? DEFAULT_EPOCH;
    const saved = await this.d.store.savePlaylist(hall, entries, epoch, actorOf(p), this.d.now());
    await this.done(
      p,
      ip,
      'playlist.save',
      `hall:${hall}`,
      { version: saved.version, themes: entries.map((e) => e.themeId) },
      {
        kind: 'playlist',
        id: hall,
        version: saved.version,
      },
    );
    return saved;
  }

  private checkHall(hall: string): void {
    if (!parseScope(hall) || !this.d.hasScope(hall)) throw new ThemeError(404, 'unknown_scope', `unknown hall "${hall}"`);
  }

  private async authorize(p: Principal, ip: string | null, action: string, target: string, ok: boolean): Promise<void> {
    if (ok) return;
    await this.d.audit({ actor: actorOf(p), ip, action, target, outcome: 'denied' });
    throw new ThemeError(
      403,
      'forbidden',
      isDirector(p.role)
        ? "a director may change only the themes its own hall owns, and its own hall's rotation"
        : 'you may not change this',
    );
  }

  private async done(
    p: Principal,
    ip: string | null,
    action: string,
    target: string,
    details: unknown,
    change: ThemeChange,
  ): Promise<void> {
    await this.d.audit({ actor: actorOf(p), ip, action, target, outcome: 'ok', details });
    this.d.onChange(change);
  }
}
