/**
 * The validator's problems as the editor shows them: each with the widget it concerns (both
 * widgets for an overlap), so the canvas can mark them and a click can select them; and each said
 * in the interface language from its code and params (`editor.issue.*`), or as the server wrote it
 * when the code is one this client does not know (an older or newer server).
 */
import type { AnyWidgetSpec, ThemeIssue } from '@commandhall/shared/themes';
import type { Lang } from '../format/number.ts';

export type EditorProblem = ThemeIssue & {
  /** Ids of the widgets concerned; empty for the theme's own fields. */
  widgets: string[];
};

const WIDGET_PATH = /^widgets\/(\d+)(?:\/|$)/;

export function editorProblems(issues: readonly ThemeIssue[], widgets: readonly AnyWidgetSpec[]): EditorProblem[] {
  return issues.map((i) => {
    const ids = new Set<string>();
    const at = WIDGET_PATH.exec(i.path);
    const w = at ? widgets[Number(at[1])] : undefined;
    if (w && typeof w.id === 'string') ids.add(w.id);
    if (i.code === 'overlap') for (const id of [i.params.a, i.params.b]) if (widgets.some((x) => x.id === id)) ids.add(id);
    return { ...i, widgets: [...ids] };
  });
}

/** Ids of every widget some problem concerns. */
export const troubled = (problems: readonly EditorProblem[]): ReadonlySet<string> => new Set(problems.flatMap((p) => p.widgets));

/** What of vue-i18n the wording needs (`useI18n()` gives both). */
export interface Translate {
  t: (key: string, named?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
}

/** A problem as received: from this client's validator, or a server's refusal (whose `code` may be missing or new). */
export interface IssueLike {
  path: string;
  message: string;
  code?: unknown;
  params?: unknown;
}

export interface IssueText {
  /** The sentence in the interface language (the English `message` when the code is unknown). */
  text: string;
  /** The validator's own English detail (structure and options problems come from the schema's checks). */
  detail?: string;
  /** True when `text` already names the path. */
  located: boolean;
}

/** Codes whose path is part of the sentence and whose detail is the schema check's English text. */
const LOCATED = new Set(['structure', 'options_invalid']);

const lower = (s: string, lang: Lang) => (lang === 'en' ? s.toLowerCase() : s);

/** One problem in the interface language. */
export function issueText(issue: IssueLike, i18n: Translate, lang: Lang): IssueText {
  const { code, params } = issue;
  const key = `editor.issue.${String(code)}`;
  if (typeof code !== 'string' || !/^[a-z_]+$/.test(code) || !i18n.te(key) || !params || typeof params !== 'object')
    return { text: issue.message, located: false };
  const p = params as Record<string, unknown>;
  // (English level names start upper-case, for labels; inside a sentence they do not)
  const level = (l: unknown) => (i18n.te(`editor.level.${String(l)}`) ? lower(i18n.t(`editor.level.${String(l)}`), lang) : String(l));
  const list = (v: unknown, each: (x: unknown) => string, sep: string) => (Array.isArray(v) ? v.map(each).join(sep) : each(v));
  const named: Record<string, unknown> = { ...p };
  if (typeof p.type === 'string' && /^[A-Za-z]+$/.test(p.type) && i18n.te(`editor.type.${p.type}`))
    named.type = i18n.t(`editor.type.${p.type}`);
  if ('levels' in p) named.levels = list(p.levels, level, lang === 'en' ? ', ' : '、');
  if ('level' in p) named.level = level(p.level);
  if ('allowed' in p) named.allowed = list(p.allowed, String, ' / ');
  if (code === 'bind_count') named.count = p.min === p.max ? p.min : `${String(p.min)}–${String(p.max)}`;
  if (code === 'structure') named.path = issue.path || i18n.t('editor.themeFields');
  if (code === 'options_invalid') named.path = p.at;
  const located = LOCATED.has(code);
  return { text: i18n.t(key, named), detail: located && typeof p.detail === 'string' ? p.detail : undefined, located };
}
