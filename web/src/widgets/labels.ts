/**
 * Names of the keys of a record metric, by the taxonomy a widget names in its options: the shared
 * taxonomy's lists (categories, channels, natures, algorithms), the status names of the interface,
 * or plain field names (`field`: the words this file's i18n knows, then component types). A key
 * nothing names shows as itself: a new metric's keys appear before their names do.
 */
import type { TaxonomyKind } from '@commandhall/shared/themes';
import type { Lang } from '../format/number.ts';
import { codeLabel } from '../i18n/labels.ts';

/** What of vue-i18n the lookup needs (`useI18n()` gives both). */
export interface Translate {
  t: (key: string, named?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
}

export function keyLabel(kind: TaxonomyKind, key: string, lang: Lang, i18n: Translate): string {
  switch (kind) {
    case 'status':
    case 'alertStatus':
      // the English status words are written for running text ("closed"); a chart's axis starts them upper-case
      return i18n.te(`status.${key}`) ? capital(i18n.t(`status.${key}`), lang) : key;
    case 'field':
      // i18n paths split at dots: a key with one is never a message name
      if (!key.includes('.') && i18n.te(`field.${key}`)) return i18n.t(`field.${key}`);
      return codeLabel('componentType', key, lang);
    default:
      return codeLabel(kind, key, lang);
  }
}

const capital = (s: string, lang: Lang) => (lang === 'en' ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** A community's name in a narrow column: English names without the generic " Community". */
export const shortCommunity = (name: string, lang: Lang) => (lang === 'en' ? name.replace(/ Community$/, '') : name);

/** A title or label from a theme: an i18n key when one exists, else the text as the editor typed it. */
export function textOrKey(text: string, i18n: Translate, named: Record<string, unknown> = {}): string {
  return i18n.te(text) ? i18n.t(text, named) : text;
}
