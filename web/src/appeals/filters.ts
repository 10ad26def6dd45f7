/**
 * The appeal list's filters live in the URL (`?status=handling,resolved&category=5&overdue=true…`)
 * so that a reload, a bookmark or a link sent to a colleague shows the same list.
 */
import { computed } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { APPEAL_STATUSES, type AppealStatus } from '@commandhall/shared/appeal-lifecycle';
import { REPORTER_KINDS, type ReporterKind } from '@commandhall/shared/components';
import type { AppealFilters } from './api.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const one = (v: LocationQuery[string]) => (typeof v === 'string' && v ? v : undefined);

/** Filters from a route query; anything malformed is dropped rather than sent. */
export function filtersFromQuery(scope: string, q: LocationQuery): AppealFilters {
  const statuses = (one(q.status) ?? '').split(',').filter((s): s is AppealStatus => (APPEAL_STATUSES as readonly string[]).includes(s));
  const sort = one(q.sort);
  const order = one(q.order);
  const overdue = one(q.overdue);
  const extension = one(q.extension);
  const reporterKind = one(q.reporterKind);
  return {
    scope,
    status: statuses.length ? statuses : undefined,
    category: one(q.category),
    channel: one(q.channel),
    nature: one(q.nature),
    reporterKind: (REPORTER_KINDS as readonly string[]).includes(reporterKind ?? '') ? (reporterKind as ReporterKind) : undefined,
    overdue: overdue === 'true' ? true : overdue === 'false' ? false : undefined,
    extension: extension === 'pending' || extension === 'none' ? extension : undefined,
    from: DATE.test(one(q.from) ?? '') ? one(q.from) : undefined,
    to: DATE.test(one(q.to) ?? '') ? one(q.to) : undefined,
    sort: sort === 'deadline' || sort === 'status' || sort === 'created' ? sort : undefined,
    order: order === 'asc' || order === 'desc' ? order : undefined,
  };
}

export function queryFromFilters(f: Omit<AppealFilters, 'scope'>): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.status?.length) q.status = f.status.join(',');
  for (const k of ['category', 'channel', 'nature', 'reporterKind', 'extension', 'from', 'to', 'sort', 'order'] as const)
    if (f[k]) q[k] = f[k]!;
  if (f.overdue !== undefined) q.overdue = String(f.overdue);
  return q;
}

export function useAppealFilters(scope: () => string) {
  const route = useRoute();
  const router = useRouter();
  const filters = computed(() => filtersFromQuery(scope(), route.query));
  function update(patch: Partial<Omit<AppealFilters, 'scope'>>): void {
    const { scope: _s, ...cur } = filters.value;
    void router.replace({ query: queryFromFilters({ ...cur, ...patch }) });
  }
  return { filters, update };
}
