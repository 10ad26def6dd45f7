/**
 * One theme in the editor: the version saved on the server (or a new draft), the copy being
 * changed, the validator's problems on every change (the same `validateTheme` as the server's),
 * and saving, rolling back and deleting. The draft is replaced, never mutated: each change makes a new
 * theme object holding new objects only for what changed, so the preview redraws only those.
 */
import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue';
import {
  validateTheme,
  type AnyWidgetSpec,
  type GridRect,
  type Theme,
  type ThemeVersion,
  type WidgetType,
} from '@commandhall/shared/themes';
import { ApiError } from '../api/http.ts';
import { deleteTheme, getTheme, refusal, rollbackTheme, saveTheme, themeVersions, type ServerRefusal } from './api.ts';
import { dropDraft, findDraft, keepDraft } from './drafts.ts';
import { editorProblems } from './theme-problems.ts';
import { defaultSize, defaultWidget, newWidgetId } from './widget-defaults.ts';
import { firstFreeArea } from './grid-snap.ts';

export type LoadState = 'loading' | 'ready' | 'missing' | 'failed';

/** The theme as it is sent: no empty optional fields. */
export function cleanTheme(t: Theme): Theme {
  const out = JSON.parse(JSON.stringify(t)) as Theme;
  if (!out.description) delete out.description;
  for (const w of out.widgets) if (!w.title) delete w.title;
  return out;
}

export function useThemeEditor(id: MaybeRefOrGetter<string>) {
  const state = ref<LoadState>('loading');
  const loadError = ref('');
  /** The latest version on the server; null for a new theme. */
  const saved = shallowRef<ThemeVersion | null>(null);
  const draft = shallowRef<Theme | null>(null);
  const editable = ref(false);
  const versions = shallowRef<ThemeVersion[]>([]);
  const busy = ref(false);
  const result = shallowRef<{ version: number; restoredFrom?: number } | null>(null);
  const error = shallowRef<ServerRefusal | null>(null);
  /** Problems the validator cannot see: text in the editor that is not yet a value (bad JSON). */
  const pending = ref<Record<string, string>>({});

  const isNew = computed(() => state.value === 'ready' && !saved.value);
  const problems = computed(() => (draft.value ? editorProblems(validateTheme(draft.value), draft.value.widgets) : []));
  const dirty = computed(
    () => !!draft.value && (!saved.value || JSON.stringify(cleanTheme(draft.value)) !== JSON.stringify(cleanTheme(saved.value.theme))),
  );
  const canSave = computed(
    () => editable.value && !busy.value && dirty.value && !problems.value.length && !Object.keys(pending.value).length,
  );

  async function loadVersions(themeId: string): Promise<void> {
    try {
      versions.value = await themeVersions(themeId);
    } catch {
      versions.value = saved.value ? [saved.value] : [];
    }
  }

  async function load(): Promise<void> {
    const themeId = toValue(id);
    state.value = 'loading';
    result.value = null;
    error.value = null;
    pending.value = {};
    // a draft of this tab is not on the server yet (it is dropped at its first save): no need to ask
    const local = findDraft(themeId);
    if (local) {
      saved.value = null;
      versions.value = [];
      draft.value = local;
      editable.value = true; // the server decides at the first save
      state.value = 'ready';
      return;
    }
    try {
      const v = await getTheme(themeId);
      saved.value = v;
      draft.value = v.theme;
      editable.value = v.editable;
      state.value = 'ready';
      await loadVersions(themeId);
    } catch (e) {
      saved.value = null;
      versions.value = [];
      draft.value = null;
      state.value = e instanceof ApiError && e.status === 404 ? 'missing' : 'failed';
      loadError.value = e instanceof Error ? e.message : String(e);
    }
  }
  watch(
    () => toValue(id),
    () => void load(),
    { immediate: true },
  );

  function change(next: Theme): void {
    if (!editable.value) return;
    draft.value = next;
    result.value = null;
    if (!saved.value) keepDraft(next);
  }

  const setFields = (patch: Partial<Pick<Theme, 'name' | 'description' | 'levels'>>) => draft.value && change({ ...draft.value, ...patch });

  function updateWidget(widgetId: string, make: (w: AnyWidgetSpec) => AnyWidgetSpec): void {
    const t = draft.value;
    if (!t) return;
    change({ ...t, widgets: t.widgets.map((w) => (w.id === widgetId ? make(w) : w)) });
  }

  const moveWidget = (widgetId: string, pos: GridRect) => updateWidget(widgetId, (w) => ({ ...w, pos: { ...pos } }));

  /** Adds a widget of `type` in the first free area; returns its id, or null when the grid is full. */
  function addWidget(type: WidgetType, title?: string): string | null {
    const t = draft.value;
    if (!t || !editable.value) return null;
    const pos = firstFreeArea(
      t.grid,
      t.widgets.map((w) => w.pos),
      defaultSize(type, t.grid),
    );
    if (!pos) return null;
    const wid = newWidgetId(type, t.widgets);
    change({ ...t, widgets: [...t.widgets, defaultWidget(type, wid, pos, title)] });
    return wid;
  }

  function removeWidget(widgetId: string): void {
    const t = draft.value;
    if (t) change({ ...t, widgets: t.widgets.filter((w) => w.id !== widgetId) });
    const { [widgetId]: _gone, ...rest } = pending.value;
    pending.value = rest;
  }

  function setPending(key: string, message: string | null): void {
    const { [key]: _old, ...rest } = pending.value;
    pending.value = message ? { ...rest, [key]: message } : rest;
  }

  function accept(v: ThemeVersion): void {
    saved.value = v;
    draft.value = v.theme;
    result.value = { version: v.version, restoredFrom: v.restoredFrom };
    pending.value = {};
    dropDraft(v.theme.id);
  }

  async function save(): Promise<void> {
    if (!draft.value || !canSave.value) return;
    busy.value = true;
    error.value = null;
    result.value = null;
    try {
      accept(await saveTheme(cleanTheme(draft.value), saved.value?.version ?? 0));
      await loadVersions(toValue(id));
    } catch (e) {
      error.value = refusal(e);
    } finally {
      busy.value = false;
    }
  }

  async function rollback(version: number): Promise<void> {
    if (!editable.value || !saved.value) return;
    busy.value = true;
    error.value = null;
    result.value = null;
    try {
      accept(await rollbackTheme(toValue(id), version));
      await loadVersions(toValue(id));
    } catch (e) {
      error.value = refusal(e);
    } finally {
      busy.value = false;
    }
  }

  /**
   * Deletes the saved theme; true when it is gone. The server says why when it refuses; `inUse`
   * words the refusal of a theme that halls' rotations still show.
   */
  async function remove(inUse: (halls: string[]) => string): Promise<boolean> {
    if (!editable.value || !saved.value) return false;
    busy.value = true;
    error.value = null;
    result.value = null;
    try {
      await deleteTheme(toValue(id));
      dropDraft(toValue(id));
      return true;
    } catch (e) {
      const halls = e instanceof ApiError && e.code === 'theme_in_use' ? (e.details as { halls?: string[] })?.halls : undefined;
      error.value = halls ? { message: inUse(halls), details: [] } : refusal(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    state,
    loadError,
    saved,
    draft,
    editable,
    versions,
    busy,
    result,
    error,
    pending,
    isNew,
    problems,
    dirty,
    canSave,
    load,
    setFields,
    updateWidget,
    moveWidget,
    addWidget,
    removeWidget,
    setPending,
    save,
    rollback,
    remove,
  };
}

export type ThemeEditor = ReturnType<typeof useThemeEditor>;
