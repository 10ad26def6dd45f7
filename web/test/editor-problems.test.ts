/**
 * The editor says each of the validator's problems in the interface language, from its code and
 * params: the problems list under the canvas (an overlap marks both widgets, from the params) and
 * the server's refusal under the save button. A schema problem keeps its English detail apart;
 * a problem whose code this client does not know (an older server) shows the server's message.
 */
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { defineComponent, ref } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { THEME_ISSUE_CODES, validateTheme, type AnyWidgetSpec, type Theme } from '@commandhall/shared/themes';
import type { Lang } from '../src/format/number.ts';
import { createAppI18n } from '../src/i18n/index.ts';
import EditorProblems from '../src/editor/EditorProblems.vue';
import EditorSaveBar from '../src/editor/EditorSaveBar.vue';
import EditorWidgetPanel from '../src/editor/EditorWidgetPanel.vue';
import { editorProblems, issueText, type EditorProblem } from '../src/editor/theme-problems.ts';
import type { ThemeEditor } from '../src/editor/useThemeEditor.ts';

const widgets: AnyWidgetSpec[] = [
  { id: 'title', type: 'title', pos: { x: 0, y: 0, w: 12, h: 1 }, bind: [] },
  { id: 'text-1', type: 'text', pos: { x: 0, y: 0, w: 6, h: 3 }, bind: [], options: { text: '通知' } },
  { id: 'rank', type: 'ranking', pos: { x: 6, y: 1, w: 6, h: 3 }, bind: ['map.communities'] },
  { id: 'clock', type: 'clock', pos: { x: 0, y: 4, w: 2, h: 1 }, bind: [], options: { seconds: 'yes' as never } },
];
const theme = {
  schema: 1,
  id: 'liulian-notice',
  name: '六联社区通告',
  levels: ['community'],
  owner: '440310001001',
  grid: { width: 1920, height: 1080, cols: 12, rows: 6, gap: 12 },
  widgets,
} as Theme;

function listed(lang: Lang, problems: EditorProblem[]) {
  const wrapper = mount(EditorProblems, {
    props: { problems, pending: [], editable: true },
    global: { plugins: [createAppI18n(lang)] },
  });
  return wrapper.findAll('[data-testid="editor-problem"]').map(words);
}

/** An item's text: its parts (widget or path, sentence, detail) one space apart. */
function words(el: { element: Element }): string {
  const walk = document.createTreeWalker(el.element, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (n.textContent?.trim()) parts.push(n.textContent.trim());
  return parts.join(' ');
}

describe('the problems list', () => {
  const problems = editorProblems(validateTheme(theme), widgets);

  it('marks both overlapping widgets from the params', () => {
    expect(problems.find((p) => p.code === 'overlap')?.widgets).toEqual(['text-1', 'title']);
  });

  it('says each problem in Chinese, with the English detail of a schema check apart', () => {
    const zh = listed('zh-CN', problems);
    expect(zh).toContain('rank 组件“rank”（社区排名）比较各社区，不能在社区级大屏显示');
    expect(zh).toContain('clock 组件“clock”的选项不符合要求：options/seconds must be boolean');
    expect(zh).toContain('text-1 · title 组件“title”与“text-1”重叠');
    expect(zh.join('\n')).not.toMatch(/overlap|cannot be shown/);
    const wrapper = mount(EditorProblems, {
      props: { problems, pending: [], editable: true },
      global: { plugins: [createAppI18n('zh-CN')] },
    });
    const detail = wrapper.find('[data-code="options_invalid"] .epr-detail');
    expect(detail.text()).toBe('must be boolean');
    expect(detail.attributes('lang')).toBe('en');
  });

  it('says them in English when the interface is English', () => {
    const en = listed('en', problems);
    expect(en).toContain('rank Widget "rank" (Ranking) compares communities: not shown in community halls');
    expect(en).toContain('text-1 · title Widgets "title" and "text-1" overlap');
  });

  it('says the selected widget’s problems in the side panel in the interface language too', () => {
    const panel = (lang: Lang) =>
      mount(EditorWidgetPanel, {
        props: { widget: widgets[1], types: ['text'], editable: true, problems },
        global: { plugins: [createAppI18n(lang)], stubs: { EditorBindings: true, EditorOptions: true } },
      })
        .findAll('[data-testid="editor-widget-problems"] li')
        .map(words);
    expect(panel('zh-CN')).toEqual(['组件“title”与“text-1”重叠']);
    expect(panel('en')).toEqual(['Widgets "title" and "text-1" overlap']);
  });

  it('names the path of a body of the wrong shape once, in the sentence', () => {
    const shape = editorProblems(validateTheme({ ...theme, grid: { ...theme.grid, width: 'wide' } }), widgets);
    expect(listed('zh-CN', shape)).toEqual(['格式不符合要求：grid/width must be integer']);
    expect(listed('en', shape)).toEqual(['Wrong form at grid/width must be integer']);
  });

  it('shows the message as it came for a code it does not know', () => {
    const odd = [{ path: 'widgets/0', code: 'sparkle_glitch', params: {}, message: 'widget "title": sparkles', widgets: ['title'] }];
    expect(listed('zh-CN', odd as unknown as EditorProblem[])).toEqual(['title widget "title": sparkles']);
  });
});

describe('wording', () => {
  const i18n = (lang: Lang) => {
    const g = createAppI18n(lang).global;
    return { t: (k: string, named?: Record<string, unknown>) => g.t(k, named ?? {}), te: (k: string) => g.te(k) };
  };

  it('has a Chinese and an English sentence for every code', () => {
    for (const lang of ['zh-CN', 'en'] as const)
      for (const code of THEME_ISSUE_CODES) expect(i18n(lang).te(`editor.issue.${code}`), `${lang} ${code}`).toBe(true);
  });

  it('fills in the params: counts, shapes, levels and the hall', () => {
    const zh = i18n('zh-CN');
    const say = (code: string, params: object, lang: Lang = 'zh-CN') =>
      issueText({ path: 'x', code, params, message: 'english' }, lang === 'en' ? i18n('en') : zh, lang).text;
    expect(say('bind_count', { id: 'f', type: 'line', min: 1, max: 2, got: 0 })).toBe('组件“f”（折线图）须绑定 1–2 个指标，现有 0 个');
    expect(say('bind_count', { id: 'f', type: 'line', min: 1, max: 2, got: 0 }, 'en')).toBe(
      'Widget "f" (Lines) binds 1–2 metric(s), has 0',
    );
    expect(say('off_grid', { id: 'c', x: 10, y: 4, w: 4, h: 4, cols: 12, rows: 6 })).toBe('组件“c”（10,4 4×4）超出了 12×6 的网格');
    expect(
      say('metric_shape', { id: 'g', metric: 'appeals.daily', index: 0, shape: 'daily', type: 'pie', allowed: ['record', 'series'] }),
    ).toBe('组件“g”的指标“appeals.daily”是 daily 类数据，饼图需要 record / series');
    expect(say('hall_level', { theme: 't', levels: ['district', 'street'], level: 'community' })).toBe(
      '主题“t”用于区、街道级大屏，不能用于社区级大屏',
    );
    expect(say('hall_level', { theme: 't', levels: ['district', 'street'], level: 'community' }, 'en')).toBe(
      'Theme "t" is for district, street halls, not community halls',
    );
  });

  it('falls back to the message without a code, with a code it does not know, or without params', () => {
    const zh = i18n('zh-CN');
    expect(issueText({ path: 'grid', message: 'grid is odd' }, zh, 'zh-CN')).toEqual({ text: 'grid is odd', located: false });
    expect(issueText({ path: 'grid', code: 'future', params: {}, message: 'grid is odd' }, zh, 'zh-CN').text).toBe('grid is odd');
    expect(issueText({ path: 'grid', code: 'overlap', message: 'grid is odd' }, zh, 'zh-CN').text).toBe('grid is odd');
  });
});

describe('the server’s refusal', () => {
  const router = () =>
    createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: defineComponent({ render: () => null }) }] });

  function refused(lang: Lang, details: unknown[]) {
    const editor = {
      result: ref(null),
      saved: ref(null),
      editable: ref(true),
      isNew: ref(true),
      busy: ref(false),
      canSave: ref(false),
      problems: ref([]),
      draft: ref(theme),
      error: ref({ message: 'the theme has 2 problem(s)', details }),
    } as unknown as ThemeEditor;
    const wrapper = mount(EditorSaveBar, {
      props: { scope: 'community:440310001001', editor },
      global: { plugins: [createPinia(), router(), createAppI18n(lang)] },
    });
    return {
      headline: wrapper.find('.es-msg').text(),
      lines: wrapper.findAll('[data-testid="editor-save-error-detail"]').map(words),
    };
  }

  it('lists each problem in the interface language, and an old server’s as it wrote it', () => {
    const details = [
      { path: 'widgets/1/pos', code: 'overlap', params: { a: 'title', b: 'text-1' }, message: 'widgets "title" and "text-1" overlap' },
      { path: 'name', code: 'structure', params: { keyword: 'minLength', detail: 'must not be empty' }, message: 'must not be empty' },
      { path: 'widgets/0/type', message: 'widget "a": unknown type "sparkle"' },
    ];
    const zh = refused('zh-CN', details);
    expect(zh.headline).toBe('服务器拒绝保存：3 个问题');
    expect(zh.lines).toEqual([
      'widgets/1/pos 组件“title”与“text-1”重叠',
      '格式不符合要求：name must not be empty',
      'widgets/0/type widget "a": unknown type "sparkle"',
    ]);
    const en = refused('en', details);
    expect(en.headline).toBe('The server refused to save: 3 problem(s)');
    expect(en.lines[0]).toBe('widgets/1/pos Widgets "title" and "text-1" overlap');
    // a refusal without problems listed (a conflict, a lost connection) keeps the server's words
    expect(refused('zh-CN', []).headline).toBe('the theme has 2 problem(s)');
  });
});
