/**
 * The appeal list's filters in the URL, and who raised an appeal (反映人: 群众 / 企业): the
 * filter select keeps `?reporterKind=` like the other filters and sends it to the API; enterprise
 * appeals carry a 企业 tag in the list and a line in the detail.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import type { AppealFull } from '@commandhall/shared/appeal-view';
import { routes } from '../src/router.ts';
import { createAppI18n } from '../src/i18n/index.ts';
import { filtersFromQuery, queryFromFilters } from '../src/appeals/filters.ts';
import { listQuery } from '../src/appeals/api.ts';
import AppealList from '../src/appeals/AppealList.vue';
import AppealDetailPanel from '../src/appeals/AppealDetailPanel.vue';

vi.mock('../src/appeals/AppealMiniMap.vue', () => ({ default: { render: () => null } }));

const SCOPE = 'street:440310001';

describe('appeal filters ↔ URL', () => {
  it('reads the reporter kind from the query, drops what is not one, and writes it back', () => {
    const f = filtersFromQuery(SCOPE, { reporterKind: 'enterprise', category: '5', overdue: 'true' });
    expect(f).toMatchObject({ scope: SCOPE, reporterKind: 'enterprise', category: '5', overdue: true });
    expect(filtersFromQuery(SCOPE, { reporterKind: 'resident' }).reporterKind).toBe('resident');
    for (const bad of ['company', '', 'Enterprise']) expect(filtersFromQuery(SCOPE, { reporterKind: bad }).reporterKind).toBeUndefined();
    expect(filtersFromQuery(SCOPE, { reporterKind: ['enterprise', 'resident'] }).reporterKind).toBeUndefined();

    const { scope: _scope, ...rest } = f;
    expect(queryFromFilters(rest)).toEqual({ reporterKind: 'enterprise', category: '5', overdue: 'true' });
    expect(filtersFromQuery(SCOPE, queryFromFilters(rest))).toEqual(f);
    expect(queryFromFilters({ reporterKind: undefined })).toEqual({});
  });

  it('sends it to the API as the list (and an export) takes it', () => {
    expect(listQuery({ scope: SCOPE, reporterKind: 'enterprise' }, 50)).toMatchObject({
      scope: SCOPE,
      reporterKind: 'enterprise',
      limit: '50',
    });
    expect(listQuery({ scope: SCOPE }, 50).reporterKind).toBeUndefined();
  });
});

const T = '2026-11-27T02:10:00.000Z';
function appeal(id: string, reporterKind: 'resident' | 'enterprise'): AppealFull {
  return {
    id,
    community: '440310001001',
    communityName: '六联社区',
    street: '440310001',
    streetName: '坪山街道',
    status: 'collected',
    category: '5',
    subcategory: null,
    channel: 'enterprise',
    nature: 'request',
    title: `标题 ${id}`,
    location: { lon: 114.325, lat: 22.695 },
    reporter: null,
    reporterKind,
    unit: null,
    createdAt: T,
    deadline: '2026-12-27T02:10:00.000Z',
    verifiedAt: null,
    dispatchedAt: null,
    resolvedAt: null,
    closedAt: null,
    updatedAt: T,
    overdue: false,
    satisfaction: null,
    extension: null,
    extensions: 0,
    reworks: 0,
    reopens: 0,
    description: null,
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The list answers with the rows of the kind asked for (all without one); the detail with the appeal. */
function serve() {
  const rows = [appeal('E-1', 'enterprise'), appeal('R-1', 'resident')];
  const fetch = vi.fn(async (url: string) => {
    const u = new URL(url, 'http://console');
    if (u.pathname === '/api/v1/appeals') {
      const kind = u.searchParams.get('reporterKind');
      const items = rows.filter((a) => !kind || a.reporterKind === kind);
      return json({ items, nextCursor: null, total: items.length, totalExact: true });
    }
    const one = rows.find((a) => u.pathname === `/api/v1/appeals/${a.id}`);
    if (one) return json({ appeal: one, timeline: [], suggestion: { ruleId: 'r', level: 'street', unit: 'u', unitEn: 'u' }, actions: [] });
    return json({ error: { code: 'not_found', message: 'no' } }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function mountAt(path: string, component: unknown, props: Record<string, unknown>, lang: 'zh-CN' | 'en' = 'zh-CN') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const Empty = { render: () => null };
  const records = routes.map((r) => ('component' in r && r.component ? { ...r, component: Empty } : r)) as RouteRecordRaw[];
  const router = createRouter({ history: createMemoryHistory(), routes: records });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(component as never, {
    props: props as never,
    global: { plugins: [pinia, router, createAppI18n(lang)], stubs: { AppealActions: true } },
  });
  await flushPromises();
  return { wrapper, router };
}

afterEach(() => vi.unstubAllGlobals());

describe('who raised an appeal, in the console', () => {
  it('filters by it from the URL, marks enterprise rows, and keeps a change in the URL', async () => {
    const fetch = serve();
    const { wrapper, router } = await mountAt(`/console/${SCOPE}/appeals?reporterKind=enterprise`, AppealList, { scope: SCOPE });
    const select = wrapper.get<HTMLSelectElement>('select[data-testid="filter-reporter-kind"]');
    expect(select.element.value).toBe('enterprise');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['全部反映人', '群众', '企业']);
    expect(new URL(fetch.mock.calls.at(-1)![0], 'http://console').searchParams.get('reporterKind')).toBe('enterprise');
    const rows = wrapper.findAll('[data-testid="appeal-row"]');
    expect(rows.map((r) => r.attributes('data-id'))).toEqual(['E-1']);
    expect(rows[0].get('[data-testid="appeal-enterprise"]').text()).toBe('企业');

    await select.setValue('');
    await flushPromises();
    expect(router.currentRoute.value.query.reporterKind).toBeUndefined();
    const all = wrapper.findAll('[data-testid="appeal-row"]');
    expect(all.map((r) => r.attributes('data-id'))).toEqual(['E-1', 'R-1']);
    expect(all[1].find('[data-testid="appeal-enterprise"]').exists()).toBe(false);

    await select.setValue('resident');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ reporterKind: 'resident' });
    expect(wrapper.findAll('[data-testid="appeal-row"]').map((r) => r.attributes('data-id'))).toEqual(['R-1']);
  });

  it('names it in the detail, in Chinese and English', async () => {
    serve();
    const zh = (await mountAt(`/console/${SCOPE}/appeals/E-1`, AppealDetailPanel, { id: 'E-1' })).wrapper;
    expect(zh.get('[data-testid="appeal-reporter-kind"]').text()).toBe('企业');
    const en = (await mountAt(`/console/${SCOPE}/appeals/R-1`, AppealDetailPanel, { id: 'R-1' }, 'en')).wrapper;
    expect(en.get('[data-testid="appeal-reporter-kind"]').text()).toBe('Resident');
    expect(en.text()).toContain('Reporter kind');
  });
});
