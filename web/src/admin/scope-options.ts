/**
 * Every scope as a select option, indented under its parent, in the current language; a form's
 * empty `scope` starts at the first option, the top of the tree.
 */
import { computed, watchEffect } from 'vue';
import { useScopesStore, type ScopeInfo } from '../stores/scopes.ts';
import { useLang } from '../i18n/useLang.ts';

export function useScopeOptions(form?: { scope: string }) {
  const scopes = useScopesStore();
  const { lang } = useLang();
  const options = computed(() => {
    const out: { id: string; label: string }[] = [];
    const walk = (s: ScopeInfo | undefined, depth: number) => {
      if (!s) return;
      out.push({ id: s.id, label: `${'\u3000'.repeat(depth)}${lang.value === 'en' ? s.nameEn : s.name}` });
      for (const c of s.children) walk(scopes.get(c), depth + 1);
    };
    walk(scopes.root ?? undefined, 0);
    return out;
  });
  if (form)
    watchEffect(() => {
      if (!form.scope && options.value.length) form.scope = options.value[0].id;
    });
  return options;
}
