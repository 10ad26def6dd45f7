/**
 * Every text of the built-in themes and of the generated community themes that is an i18n key
 * (names, subtitles, widget titles, KPI and gauge labels) exists in both languages: a missing one
 * would show on a wall as its key (`widget.hotCategories`).
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_THEMES, communityThemes, type Theme } from '@commandhall/shared/themes';
import { communityProfiles } from '@commandhall/shared/community-profiles';
import { messages } from '../src/i18n/messages.ts';

const KEY = /^[a-z][a-zA-Z]*(\.[a-zA-Z]+)+$/;

function keysOf(t: Theme): string[] {
  const out = [t.name];
  for (const w of t.widgets) {
    if (w.title) out.push(w.title);
    const o = (w.options ?? {}) as { subtitle?: string; label?: string; items?: { label: string }[] };
    if (o.subtitle) out.push(o.subtitle);
    if (o.label) out.push(o.label);
    for (const item of o.items ?? []) out.push(item.label);
  }
  return out.filter((k) => KEY.test(k));
}

const lookup = (tree: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], tree);

describe('theme texts', () => {
  const themes = [...BUILTIN_THEMES, ...communityThemes(communityProfiles, (c) => `C${c} Community`, BUILTIN_THEMES)];
  for (const lang of ['zh-CN', 'en'] as const)
    it(`are all translated (${lang})`, () => {
      const missing = themes.flatMap((t) =>
        keysOf(t)
          .filter((k) => typeof lookup(messages[lang], k) !== 'string')
          .map((k) => `${t.id}: ${k}`),
      );
      expect(missing).toEqual([]);
    });
});
