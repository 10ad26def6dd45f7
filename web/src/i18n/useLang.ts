import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Lang } from '../format/number.ts';
import { rememberLang } from './index.ts';

/** The current interface language as a plain `Lang`, and a switch. */
export function useLang() {
  const { locale } = useI18n();
  const lang = computed<Lang>(() => (locale.value === 'en' ? 'en' : 'zh-CN'));
  function toggle() {
    const next: Lang = lang.value === 'en' ? 'zh-CN' : 'en';
    locale.value = next;
    rememberLang(next);
    document.documentElement.lang = next;
  }
  return { lang, toggle };
}
