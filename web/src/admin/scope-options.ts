/** Every scope as a select option, indented under its parent, in the current language. */
import { computed } from 'vue';
import { useScopesStore, type ScopeInfo } from '../stores/scopes.ts';
import { useLang } from '../i18n/useLang.ts';

export function useScopeOptions() {
  const scopes = useScopesStore();
  const { lang } = useLang();
  return computed(() => {
    const out: { id: string; label: string }[] = [];
    const walk = (s: ScopeInfo | undefined, depth: number) => {
      if (!s) return;
      out.push({ id: s.id, label: `${'\u3000'.repeat(depth)}${lang.value === 'en' ? s.nameEn : s.name}` });
      for (const c of s.children) walk(scopes.get(c), depth + 1);
    };
    walk(scopes.root ?? undefined, 0);
    return out;
  });
}
