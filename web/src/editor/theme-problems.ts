/**
 * The validator's problems as the editor shows them: each with the widget it concerns (both
 * widgets for an overlap), so the canvas can mark them and a click can select them.
 */
import type { AnyWidgetSpec, ThemeIssue } from '@commandhall/shared/themes';

export interface EditorProblem extends ThemeIssue {
  /** Ids of the widgets concerned; empty for the theme's own fields. */
  widgets: string[];
}

const WIDGET_PATH = /^widgets\/(\d+)(?:\/|$)/;
const OVERLAP = /^widgets "(.+)" and "(.+)" overlap$/;

export function editorProblems(issues: readonly ThemeIssue[], widgets: readonly AnyWidgetSpec[]): EditorProblem[] {
  return issues.map((i) => {
    const ids = new Set<string>();
    const at = WIDGET_PATH.exec(i.path);
    const w = at ? widgets[Number(at[1])] : undefined;
    if (w && typeof w.id === 'string') ids.add(w.id);
    const both = OVERLAP.exec(i.message);
    if (both) for (const id of both.slice(1)) if (widgets.some((x) => x.id === id)) ids.add(id);
    return { ...i, widgets: [...ids] };
  });
}

/** Ids of every widget some problem concerns. */
export const troubled = (problems: readonly EditorProblem[]): ReadonlySet<string> => new Set(problems.flatMap((p) => p.widgets));
