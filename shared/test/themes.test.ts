import { describe, expect, it } from 'vitest';
import {
  BUILTIN_THEMES,
  COMMON_THEME_ORDER,
  COMMUNITY_FOCUSES,
  communityTheme,
  communityThemes,
  focusesOf,
  slugOf,
  defaultPlaylist,
  layoutIssues,
  rotationAt,
  THEME_ISSUE_CODES,
  themeFitsHall,
  validateTheme,
  type AnyWidgetSpec,
  type Playlist,
  type Theme,
  type ThemeIssue,
} from '../src/themes/index.ts';
import { communityProfiles } from '../src/community-profiles.ts';

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

describe('validation problems: a code and params for each kind, the English message as before', () => {
  const OWNER = '440310001001';
  const grid = { width: 1920, height: 1080, cols: 12, rows: 6, gap: 12 };
  const theme = (widgets: unknown[], more: Partial<Theme> = {}): Theme =>
    ({ schema: 1, id: 'liulian-notice', name: '六联社区通告', levels: ['community'], owner: OWNER, grid, widgets, ...more }) as Theme;
  const valid = theme([{ id: 'title', type: 'title', pos: { x: 0, y: 0, w: 12, h: 1 }, bind: [] }]);
  const seen = new Set<string>();
  const found = (issues: ThemeIssue[]) => {
    for (const i of issues) seen.add(i.code);
    return issues;
  };

  it('a body of the wrong shape: structure, with the schema check’s keyword and English detail', () => {
    const issues = found(validateTheme({ ...valid, grid: { ...grid, width: 'wide' } }));
    expect(issues).toEqual([
      { path: 'grid/width', code: 'structure', params: { keyword: 'type', detail: 'must be integer' }, message: 'must be integer' },
    ]);
  });

  it('every widget problem names the widget and what is wrong', () => {
    const w = (id: string, type: string, x: number, y: number, w: number, h: number, bind: string[] = [], options?: object) => ({
      id,
      type,
      pos: { x, y, w, h },
      bind,
      ...(options ? { options } : {}),
    });
    const issues = found(
      validateTheme(
        theme([
          w('a', 'sparkle', 0, 0, 2, 2),
          w('b', 'bar', 0, 0, 4, 2, ['appeals.byMood']),
          w('c', 'daily', 10, 4, 4, 4, ['appeals.daily']),
          w('d', 'ranking', 4, 2, 2, 2, ['map.communities']),
          w('c', 'clock', 6, 2, 1, 1),
          w('f', 'line', 7, 2, 1, 1),
          w('g', 'pie', 8, 2, 1, 1, ['appeals.daily']),
          w('h', 'gauge', 9, 2, 1, 1, ['appeals.onTimeRate']),
          w('i', 'clock', 10, 2, 1, 1, [], { seconds: 'yes' }),
          w('j', 'kpis', 11, 2, 1, 1, ['appeals.today', 'appeals.rework'], {
            items: [
              { key: 'appeals.open', label: '未办结', format: 'count' },
              { key: 'appeals.rework', label: '返工', format: 'rate' },
            ],
          }),
          w('k', 'rolling', 0, 3, 1, 1, ['appeals.byStatus'], { label: '状态' }),
          w('l', 'table', 1, 3, 1, 1, ['recent'], { source: 'alerts' }),
        ]),
      ),
    );
    const expected: Omit<ThemeIssue, 'message'>[] = [
      { path: 'widgets/0/type', code: 'unknown_type', params: { id: 'a', type: 'sparkle' } },
      { path: 'widgets/1/bind/0', code: 'unknown_metric', params: { id: 'b', metric: 'appeals.byMood', index: 0 } },
      { path: 'widgets/2/pos', code: 'off_grid', params: { id: 'c', x: 10, y: 4, w: 4, h: 4, cols: 12, rows: 6 } },
      { path: 'widgets/3/type', code: 'wrong_level', params: { id: 'd', type: 'ranking', levels: ['community'] } },
      { path: 'widgets/4/id', code: 'duplicate_id', params: { id: 'c' } },
      { path: 'widgets/5/bind', code: 'bind_count', params: { id: 'f', type: 'line', min: 1, max: 2, got: 0 } },
      {
        path: 'widgets/6/bind/0',
        code: 'metric_shape',
        params: { id: 'g', metric: 'appeals.daily', index: 0, shape: 'daily', type: 'pie', allowed: ['record'] },
      },
      { path: 'widgets/7/options', code: 'options_required', params: { id: 'h', type: 'gauge' } },
      {
        path: 'widgets/8/options/seconds',
        code: 'options_invalid',
        params: { id: 'i', type: 'clock', at: 'options/seconds', keyword: 'type', detail: 'must be boolean' },
      },
      { path: 'widgets/9/options/items', code: 'kpi_not_bound', params: { id: 'j', metric: 'appeals.open' } },
      { path: 'widgets/9/options/items', code: 'kpi_field', params: { id: 'j', metric: 'appeals.rework' } },
      { path: 'widgets/10/options/field', code: 'rolling_field', params: { id: 'k', metric: 'appeals.byStatus' } },
      { path: 'widgets/11/options/source', code: 'table_source', params: { id: 'l', source: 'alerts', metric: 'recent' } },
      { path: 'widgets/1/pos', code: 'overlap', params: { a: 'a', b: 'b' } },
    ];
    expect(issues.map(({ message: _, ...rest }) => rest)).toEqual(expected);
    // the English messages are as they were (the API and the logs show them)
    const said = Object.fromEntries(issues.map((i) => [`${i.path} ${i.code}`, i.message]));
    expect(said['widgets/0/type unknown_type']).toMatch(/^widget "a": unknown type "sparkle" \(known: title, kpis/);
    expect(said['widgets/2/pos off_grid']).toBe('widget "c": 10,4 4×4 runs off the 12×6 grid');
    expect(said['widgets/3/type wrong_level']).toBe(
      'widget "d": type "ranking" cannot be shown at community level (it compares communities)',
    );
    expect(said['widgets/5/bind bind_count']).toBe('widget "f": type "line" binds 1–2 metric(s), got 0');
    expect(said['widgets/6/bind/0 metric_shape']).toBe('widget "g": metric "appeals.daily" is a daily, type "pie" needs record');
    expect(said['widgets/8/options/seconds options_invalid']).toBe('widget "i": options/seconds must be boolean');
    expect(said['widgets/1/pos overlap']).toBe('widgets "a" and "b" overlap');
  });

  it('a position that is not whole cells (a layout drawn without the schema check)', () => {
    const widgets = [{ id: 'z', type: 'clock', pos: { x: 0.5, y: 0, w: 0, h: 1 }, bind: [] }] as unknown as AnyWidgetSpec[];
    const issues = found(layoutIssues({ id: 'x', name: 'x', grid, widgets }));
    expect(issues).toEqual([
      {
        path: 'widgets/0/pos',
        code: 'bad_position',
        params: { id: 'z' },
        message: 'widget "z": position must be whole grid units with width and height ≥ 1',
      },
    ]);
  });

  it('a community theme at other levels, and a theme for another hall', () => {
    expect(found(validateTheme({ ...valid, levels: ['street', 'community'] }))).toEqual([
      {
        path: 'levels',
        code: 'owner_levels',
        params: { levels: ['street', 'community'] },
        message: "a hall's own theme is shown at its hall's level (community) only",
      },
    ]);
    expect(found(validateTheme(valid, { level: 'street', community: '440310001002' }))).toEqual([
      {
        path: 'levels',
        code: 'hall_level',
        params: { theme: 'liulian-notice', levels: ['community'], level: 'street' },
        message: 'theme "liulian-notice" is for community halls, not a street hall',
      },
      {
        path: 'owner',
        code: 'hall_owner',
        params: { theme: 'liulian-notice', owner: `community:${OWNER}`, community: '440310001002' },
        message: `theme "liulian-notice" belongs to the hall community:${OWNER}`,
      },
    ]);
  });

  it("a hall's own theme at any level: a district's, owned by its scope id, is for district halls only", () => {
    const mine: Theme = { ...valid, levels: ['district'], owner: 'district:440310' };
    expect(found(validateTheme(mine))).toEqual([]);
    expect(found(validateTheme({ ...mine, levels: ['district', 'street'] })).map((i) => i.code)).toEqual(['owner_levels']);
    expect(themeFitsHall(mine, 'district:440310')).toBe(true);
    expect(themeFitsHall(mine, 'district:440399')).toBe(false);
    expect(validateTheme({ ...mine, owner: 'district:44031' }).map((i) => i.code)).toEqual(['structure']);
    expect(validateTheme({ ...mine, owner: 'county:440310' }).map((i) => i.code)).toEqual(['structure']);
  });

  it('every code was met above', () => {
    expect([...seen].sort()).toEqual([...THEME_ISSUE_CODES].sort());
  });
});

describe("generated community themes (the 'x' of 5+x)", () => {
  it('gives each community the focus that sets it apart, tags first, and a valid theme for each focus', () => {
    const focus = focusesOf(communityProfiles);
    expect(focus.size).toBe(communityProfiles.communities.length);
    for (const c of communityProfiles.communities) {
      if (c.tags.includes('industrial')) expect(focus.get(c.code)).toBe('enterprise');
      if (c.tags.includes('river')) expect(focus.get(c.code)).toBe('river');
    }
    // not one focus for all: the traits spread the district's communities over several
    expect(new Set(focus.values()).size).toBeGreaterThanOrEqual(4);
    const c = communityProfiles.communities[0];
    for (const f of COMMUNITY_FOCUSES) {
      const t = communityTheme(c, f, 'liulian');
      expect(validateTheme(t, { level: 'community', community: c.code }), f).toEqual([]);
      expect(t.id).toBe(`liulian-${f}`);
    }
  });

  it('names themes by the English name, and skips communities that have a hand-made one', () => {
    expect(slugOf('Liulian Community', '440310001001')).toBe('liulian');
    expect(slugOf('Jia 1-3 Community', '990101001003')).toBe('jia-1-3');
    expect(slugOf('', '440310001001')).toBe('440310001001');
    const made = communityThemes(communityProfiles, () => 'X Community', BUILTIN_THEMES);
    const handMade = new Set(BUILTIN_THEMES.map((t) => t.owner).filter(Boolean));
    expect(made.length).toBe(communityProfiles.communities.length - handMade.size);
    for (const t of made) expect(handMade.has(t.owner)).toBe(false);
  });
});
