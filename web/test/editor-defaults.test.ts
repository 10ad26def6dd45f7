/** New widgets and themes of the editor start valid; ids never collide; problems name the widgets they concern. */
import { describe, expect, it } from 'vitest';
import { levelsOf, validateTheme, WIDGET_TYPES, type Theme } from '@commandhall/shared/themes';
import { defaultSize, defaultWidget, newThemeDraft, newWidgetId, retype, typesFor } from '../src/editor/widget-defaults.ts';
import { editorProblems, troubled } from '../src/editor/theme-problems.ts';
import { optionFields, withOption } from '../src/editor/option-fields.ts';
import { moveEntry, playlistProblems } from '../src/editor/usePlaylistEditor.ts';
import { cleanTheme } from '../src/editor/useThemeEditor.ts';

const COMMUNITY = '440310001001';

describe('defaults', () => {
  it('gives every widget type metrics and options that validate at each level it is shown at', () => {
    for (const type of WIDGET_TYPES) {
      const draft = newThemeDraft(COMMUNITY, '六联社区专题');
      const theme: Theme = { ...draft, owner: undefined, levels: levelsOf(type) };
      theme.widgets = [...theme.widgets, defaultWidget(type, 'w', { x: 0, y: 2, ...defaultSize(type, theme.grid) }, 'A title')];
      expect(validateTheme(cleanTheme(theme)), type).toEqual([]);
    }
  });

  it('starts a community theme owned by the community, for its hall only, with a title bar', () => {
    const t = newThemeDraft(COMMUNITY, '六联社区专题', Date.UTC(2026, 0, 1));
    expect(t).toMatchObject({ owner: COMMUNITY, levels: ['community'], name: '六联社区专题' });
    expect(t.id).toMatch(/^own-440310001001-[a-z0-9]+$/);
    expect(t.widgets.map((w) => w.type)).toEqual(['title']);
    expect(validateTheme(t)).toEqual([]);
  });

  it("starts an administrator's common theme for the halls of a level, owned by none", () => {
    const t = newThemeDraft(null, '街道专题', Date.UTC(2026, 0, 1), 'street');
    expect(t).toMatchObject({ levels: ['street'], name: '街道专题' });
    expect(t).not.toHaveProperty('owner');
    expect(t.id).toMatch(/^street-[a-z0-9]+$/);
    expect(validateTheme(t)).toEqual([]);
  });

  it('offers a community theme no widget that compares communities', () => {
    expect(typesFor(['community'])).not.toContain('ranking');
    expect(typesFor(['district', 'street'])).toContain('ranking');
    expect(typesFor(['community'])).toContain('map');
  });

  it('numbers new widgets past the ids in use', () => {
    expect(newWidgetId('bar', [])).toBe('bar-1');
    expect(newWidgetId('bar', [{ id: 'bar-1' }, { id: 'bar-3' }])).toBe('bar-2');
  });

  it('keeps place, id and title when a widget changes type', () => {
    const w = defaultWidget('bar', 'b', { x: 3, y: 4, w: 5, h: 6 }, '诉求类别');
    const pie = retype(w, 'pie');
    expect(pie).toMatchObject({ id: 'b', type: 'pie', pos: { x: 3, y: 4, w: 5, h: 6 }, title: '诉求类别', bind: ['appeals.byChannel'] });
    expect(retype(w, 'clock').title).toBeUndefined(); // frameless: a title would not show
  });
});

describe('problems by widget', () => {
  it('marks both widgets of an overlap and the widget a path names', () => {
    const theme = newThemeDraft(COMMUNITY, 'x');
    theme.widgets.push(defaultWidget('text', 'text-1', { x: 0, y: 1, w: 4, h: 4 }, 'T'));
    theme.widgets.push({ ...defaultWidget('gauge', 'gauge-1', { x: 10, y: 5, w: 4, h: 4 }), bind: ['appeals.today'] });
    const problems = editorProblems(validateTheme(theme), theme.widgets);
    expect(problems.find((p) => p.message.includes('overlap'))?.widgets.sort()).toEqual(['text-1', 'title']);
    expect(problems.find((p) => p.path === 'widgets/2/bind/0')?.widgets).toEqual(['gauge-1']);
    expect([...troubled(problems)].sort()).toEqual(['gauge-1', 'text-1', 'title']);
  });

  it('names no widget for a problem of the theme itself', () => {
    const theme = { ...newThemeDraft(COMMUNITY, 'x'), levels: ['district' as const, 'community' as const] };
    const problems = editorProblems(validateTheme(theme), theme.widgets);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'levels', widgets: [] });
  });
});

describe('option fields', () => {
  it('gives plain options a field of their kind and leaves lists to the JSON', () => {
    const text = optionFields('text');
    expect(text.find((f) => f.key === 'text')).toMatchObject({ kind: 'textarea', required: true });
    expect(text.find((f) => f.key === 'size')).toMatchObject({ kind: 'number', integer: true, min: 10, max: 200 });
    expect(text.find((f) => f.key === 'align')).toMatchObject({ kind: 'choice', choices: ['left', 'center'] });
    expect(optionFields('map').map((f) => f.key)).toEqual(['interactive', 'legend']);
    expect(optionFields('kpis').map((f) => f.key)).toEqual(['columns']);
  });

  it('converts what a control holds and drops an optional field left empty', () => {
    const [limit] = optionFields('ticker');
    expect(withOption({ limit: 3 }, limit, '8')).toEqual({ limit: 8 });
    expect(withOption({ limit: 3 }, limit, '')).toBeUndefined();
    const legend = optionFields('map').find((f) => f.key === 'legend')!;
    expect(withOption({ legend: true }, legend, 'false')).toEqual({ legend: false });
  });
});

describe('playlist edits', () => {
  it('moves an entry up or down, never past either end', () => {
    expect(moveEntry(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('finds what the server would refuse before asking it', () => {
    expect(playlistProblems([])).toEqual([{ kind: 'empty' }]);
    expect(
      playlistProblems([
        { themeId: 'a', seconds: 5 },
        { themeId: 'b', seconds: 60 },
        { themeId: 'c', seconds: 12.5 },
      ]),
    ).toEqual([
      { kind: 'seconds', index: 0 },
      { kind: 'seconds', index: 2 },
    ]);
  });
});
