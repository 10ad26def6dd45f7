/**
 * A theme being edited, with the API answered here: a new draft is checked on every change and
 * saved once it has no problems; the server's refusal is kept with its problems; a theme the
 * principal may not change does not change. And where an out-of-area editor address leads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import type { Theme, ThemeVersion } from '@commandhall/shared/themes';
import { ApiError } from '../src/api/http.ts';
import { decide } from '../src/router.ts';

const api = vi.hoisted(() => ({
  getTheme: vi.fn(),
  themeVersions: vi.fn(),
  saveTheme: vi.fn(),
  rollbackTheme: vi.fn(),
}));
vi.mock('../src/editor/api.ts', async (importOriginal) => ({ ...(await importOriginal<object>()), ...api }));

const { useThemeEditor } = await import('../src/editor/useThemeEditor.ts');
const { findDraft, keepDraft } = await import('../src/editor/drafts.ts');
const { newThemeDraft } = await import('../src/editor/widget-defaults.ts');

const settle = () => new Promise((r) => setTimeout(r, 0)).then(() => nextTick());
const version = (theme: Theme, v: number, more: Partial<ThemeVersion> = {}): ThemeVersion => ({
  theme,
  version: v,
  savedAt: '2026-11-27T10:00:00.000Z',
  savedBy: 'user:community',
  ...more,
});

function open(id: string) {
  const scope = effectScope();
  const ed = scope.run(() => useThemeEditor(id))!;
  return { ed, stop: () => scope.stop() };
}

afterEach(() => vi.resetAllMocks());

describe('editing a new theme', () => {
  it('starts from the draft without asking the server, refuses to save an overlap, saves once fixed', async () => {
    const draft = newThemeDraft('440310001001', '六联社区专题');
    keepDraft(draft);
    const { ed, stop } = open(draft.id);
    await settle();
    expect(api.getTheme).not.toHaveBeenCalled();
    expect(ed.state.value).toBe('ready');
    expect(ed.isNew.value).toBe(true);
    expect(ed.canSave.value).toBe(true);

    const id = ed.addWidget('text', '社区公告')!;
    expect(ed.draft.value!.widgets.find((w) => w.id === id)?.pos).toEqual({ x: 0, y: 2, w: 12, h: 7 });
    ed.moveWidget(id, { x: 0, y: 1, w: 12, h: 7 });
    expect(ed.problems.value.map((p) => p.widgets.sort())).toEqual([['text-1', 'title']]);
    expect(ed.canSave.value).toBe(false);
    // options typed as text that is not JSON yet keep it from being saved too
    ed.moveWidget(id, { x: 0, y: 2, w: 12, h: 7 });
    ed.setPending(id, 'not JSON');
    expect(ed.canSave.value).toBe(false);
    ed.setPending(id, null);
    expect(ed.canSave.value).toBe(true);
    // the draft in session storage follows the changes
    expect(findDraft(draft.id)?.widgets).toHaveLength(2);

    api.saveTheme.mockImplementation(async (t: Theme) => version(t, 1));
    api.themeVersions.mockImplementation(async () => [version(ed.draft.value!, 1)]);
    await ed.save();
    const sent = api.saveTheme.mock.calls[0][0] as Theme;
    expect(sent.description).toBeUndefined(); // empty optional fields are not sent
    expect(api.saveTheme.mock.calls[0][1]).toBe(0); // a new theme: refused if someone created it meanwhile
    expect(ed.result.value).toEqual({ version: 1, restoredFrom: undefined });
    expect(ed.isNew.value).toBe(false);
    expect(ed.dirty.value).toBe(false);
    expect(findDraft(draft.id)).toBeNull();
    stop();
  });

  it('keeps the server’s refusal with every problem it names', async () => {
    const draft = newThemeDraft('440310001001', 'x', 1);
    keepDraft(draft);
    const { ed, stop } = open(draft.id);
    await settle();
    api.saveTheme.mockRejectedValue(
      new ApiError(403, 'forbidden', "a community director may change only the community's own themes and hall", [
        { path: 'owner', message: 'not yours' },
      ]),
    );
    await ed.save();
    expect(ed.error.value).toEqual({
      message: "a community director may change only the community's own themes and hall",
      details: [{ path: 'owner', message: 'not yours' }],
    });
    expect(ed.result.value).toBeNull();
    stop();
  });
});

describe('a saved theme', () => {
  it('cannot be changed by a principal who may only read it', async () => {
    const theme = newThemeDraft('440310001001', 'common', 2);
    api.getTheme.mockResolvedValue({ ...version(theme, 4), editable: false });
    api.themeVersions.mockResolvedValue([version(theme, 4)]);
    const { ed, stop } = open(theme.id);
    await settle();
    expect(ed.state.value).toBe('ready');
    expect(ed.addWidget('clock')).toBeNull();
    ed.setFields({ name: 'changed' });
    expect(ed.draft.value!.name).toBe('common');
    expect(ed.canSave.value).toBe(false);
    stop();
  });

  it('rolls back to an earlier version and shows the new current one', async () => {
    const v1 = newThemeDraft('440310001001', 'first', 3);
    const v2 = { ...v1, name: 'second' };
    api.getTheme.mockResolvedValue({ ...version(v2, 2), editable: true });
    api.themeVersions.mockResolvedValue([version(v2, 2), version(v1, 1)]);
    const { ed, stop } = open(v1.id);
    await settle();
    api.rollbackTheme.mockResolvedValue(version(v1, 3, { restoredFrom: 1 }));
    await ed.rollback(1);
    expect(api.rollbackTheme).toHaveBeenCalledWith(v1.id, 1);
    expect(ed.draft.value!.name).toBe('first');
    expect(ed.saved.value!.version).toBe(3);
    expect(ed.result.value).toEqual({ version: 3, restoredFrom: 1 });
    stop();
  });

  it('says when there is no such theme', async () => {
    api.getTheme.mockRejectedValue(new ApiError(404, 'not_found', 'no theme "nope"'));
    const { ed, stop } = open('nope');
    await settle();
    expect(ed.state.value).toBe('missing');
    expect(ed.draft.value).toBeNull();
    stop();
  });
});

describe('editor addresses', () => {
  it('sends an editor address outside the principal’s area to its own area’s themes', () => {
    const to = {
      name: 'console-theme',
      params: { scope: 'district:440310', id: 'overview' },
      query: {},
      fullPath: '/x',
      meta: { access: 'principal' as const },
    };
    const director = {
      status: 'signed-in',
      home: 'community:440310001001',
      isAdmin: false,
      isPerson: true,
      canRead: (s: string) => s === 'community:440310001001',
    };
    expect(decide(to, director)).toMatchObject({ name: 'console-themes', params: { scope: 'community:440310001001' } });
    expect(decide({ ...to, params: { scope: 'community:440310001001', id: 'overview' } }, director)).toBe(true);
  });
});
