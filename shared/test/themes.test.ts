import { describe, expect, it } from 'vitest';
import {
  BUILTIN_THEMES,
  COMMON_THEME_ORDER,
  defaultPlaylist,
  rotationAt,
  themeFitsHall,
  validateTheme,
  type Playlist,
} from '../src/themes/index.ts';

const EPOCH = '2026-11-27T00:00:00.000Z';
const T0 = Date.parse(EPOCH);
const list: Playlist = {
  scope: 'street:440310001',
  epoch: EPOCH,
  version: 1,
  entries: [
    { themeId: 'a', seconds: 30 },
    { themeId: 'b', seconds: 60 },
    { themeId: 'c', seconds: 10 },
  ],
};

describe('rotation on the shared clock', () => {
  it('shows each entry for its seconds, in order, and starts again', () => {
    const at = (s: number) => rotationAt(list, T0 + s * 1000)!;
    expect([0, 29.999, 30, 89.999, 90, 99.999, 100, 130].map((s) => at(s).entry.themeId)).toEqual(['a', 'a', 'b', 'b', 'c', 'c', 'a', 'b']);
    expect(at(45)).toMatchObject({ index: 1, since: T0 + 30_000, until: T0 + 90_000 });
  });

  it('gives the same answer before the epoch (a display whose clock is behind)', () => {
    expect(rotationAt(list, T0 - 1000)!.entry.themeId).toBe('c');
    expect(rotationAt(list, T0 - 100_000 + 45_000)!.since).toBe(T0 - 100_000 + 30_000);
  });

  it('two displays reading the clock a moment apart agree except at a switch', () => {
    const now = T0 + 123_456_789;
    expect(rotationAt(list, now)!.entry).toEqual(rotationAt(list, now + 20)!.entry);
  });

  it('has nothing to show for an empty playlist', () => {
    expect(rotationAt({ ...list, entries: [] }, T0)).toBeNull();
  });
});

describe('built-in themes', () => {
  it.each(BUILTIN_THEMES.map((t) => [t.id, t] as const))('%s validates at each of its levels', (_id, theme) => {
    expect(validateTheme(theme)).toEqual([]);
    for (const level of theme.levels) expect(validateTheme(theme, { level })).toEqual([]);
  });

  it('every hall gets the five common themes by default, in order', () => {
    for (const scope of ['district:440310', 'street:440310001', 'community:440310001001']) {
      const ids = defaultPlaylist(scope, BUILTIN_THEMES).entries.map((e) => e.themeId);
      const common = ids.filter((id) => !BUILTIN_THEMES.find((t) => t.id === id)!.owner);
      expect(
        common.map((id) => id.replace(/-.*$/, '')),
        scope,
      ).toEqual([...COMMON_THEME_ORDER]);
      for (const id of ids)
        expect(
          themeFitsHall(
            BUILTIN_THEMES.find((t) => t.id === id)!,
            scope,
          ),
        ).toBe(true);
    }
  });

  it('a theme for another level, or another community, does not fit', () => {
    const own = { levels: ['community' as const], owner: '440310001001' };
    expect(themeFitsHall(own, 'community:440310001001')).toBe(true);
    expect(themeFitsHall(own, 'community:440310001002')).toBe(false);
    expect(themeFitsHall({ levels: ['district'] }, 'street:440310001')).toBe(false);
    expect(validateTheme(BUILTIN_THEMES[0], { level: 'community' }).map((i) => i.path)).toContain('levels');
  });
});
