/**
 * New themes not yet saved. A draft becomes a theme on the server at its first save; until then it
 * lives in this tab's session storage, so a reload of the editor does not lose it (and closing
 * the tab throws it away, as nothing was saved).
 */
import type { Theme } from '@commandhall/shared/themes';

const KEY = 'commandhall.themeDrafts';
const memory = new Map<string, Theme>();

function read(): Record<string, Theme> {
  try {
    const raw = globalThis.sessionStorage?.getItem(KEY);
    return raw ? (JSON.parse(raw) as Record<string, Theme>) : {};
  } catch {
    return {}; // storage disabled or a damaged copy: the drafts in memory still serve
  }
}

function write(all: Record<string, Theme>): void {
  try {
    globalThis.sessionStorage?.setItem(KEY, JSON.stringify(all));
  } catch {
    /* full or disabled */
  }
}

export function keepDraft(theme: Theme): void {
  memory.set(theme.id, theme);
  write({ ...read(), [theme.id]: theme });
}

export function findDraft(id: string): Theme | null {
  return memory.get(id) ?? read()[id] ?? null;
}

export function dropDraft(id: string): void {
  memory.delete(id);
  const all = read();
  if (id in all) {
    delete all[id];
    write(all);
  }
}
