import { createI18n } from 'vue-i18n';
import { messages, type MessageSchema } from './messages.ts';
import type { Lang } from '../format/number.ts';

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'commandhall.lang';

/** `?lang=en` wins (walls are configured by URL), then the last choice on this device, then Chinese. */
export function initialLang(search = globalThis.location?.search ?? ''): Lang {
  const q = new URLSearchParams(search).get('lang');
  if (q === 'en' || q === 'zh-CN') return q;
  try {
    const s = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (s === 'en' || s === 'zh-CN') return s;
  } catch {
    /* storage may be disabled in kiosk mode */
  }
  return 'zh-CN';
}

export function createAppI18n(lang: Lang = initialLang()) {
  return createI18n<[MessageSchema], Lang, false>({
    legacy: false,
    locale: lang,
    fallbackLocale: 'zh-CN',
    messages,
    missingWarn: false,
    fallbackWarn: false,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;

export function rememberLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
}
