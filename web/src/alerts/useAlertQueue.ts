/** The open alerts of a scope as a screen shows them: its queue with the immediate updates over it. */
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { scopeWithin } from '@commandhall/shared/access';
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import { useMetricsStore } from '../stores/metrics.ts';
import { useNow } from '../screen/useNow.ts';
import { mergeQueue, useAlertsStore } from './alerts-store.ts';

export function useAlertQueue(scope: MaybeRefOrGetter<string>) {
  const metrics = useMetricsStore();
  const alerts = useAlertsStore();
  const now = useNow(2000);
  const raw = computed(() => {
    const m = metrics.get(toValue(scope))?.metrics as Record<string, unknown> | undefined;
    return (m?.['alerts.queue'] as AlertView[] | undefined) ?? [];
  });
  const open = computed(() => {
    const m = metrics.get(toValue(scope))?.metrics as Record<string, unknown> | undefined;
    return (m?.['alerts.open'] as number | undefined) ?? raw.value.length;
  });
  const queue = computed(() => {
    void alerts.version; // re-read when an update arrives
    const s = toValue(scope);
    return mergeQueue(raw.value, alerts.overrides, (a) => scopeWithin(s, `community:${a.community}`), now.value);
  });
  return { queue, open };
}
