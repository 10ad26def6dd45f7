/**
 * The appeal and the video alert it came from, linked both ways in the console: the appeal's
 * detail shows the source alert (algorithm, camera, time, snapshot through AlertSnapshot) with a
 * link into the alerts view (`?alert=<id>`), and nothing for an appeal no alert created; the alerts
 * view shows the alert asked for on top, with a link back to its appeal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import type { AppealDetail as ApiAppealDetail, SourceAlert } from '@commandhall/shared/appeal-view';
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import { routes } from '../src/router.ts';
import { createAppI18n } from '../src/i18n/index.ts';
import AppealDetailPanel from '../src/appeals/AppealDetailPanel.vue';
import AlertsPanel from '../src/alerts/AlertsPanel.vue';
import { useMetricsStore } from '../src/stores/metrics.ts';
import { useSessionStore } from '../src/stores/session.ts';
import { snapshot } from './fixtures.ts';

// the mini map needs WebGL: it is not what these tests are about
vi.mock('../src/appeals/AppealMiniMap.vue', () => ({ default: { render: () => null } }));

const SCOPE = 'street:440310001';
const SNAPSHOT = '/api/v1/snapshots/snap-1';
const RAISED = '2026-11-27T02:05:00.000Z'; // 10:05 in Shenzhen

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function source(over: Partial<SourceAlert> = {}): SourceAlert {
  return {
    id: 'VA-SRC',
    algorithm: 'road_vending',
    algorithmLabel: '占道经营',
    algorithmLabelEn: 'Road vending',
    community: '440310001001',
    cameraId: 'CAM-SRC-1',
    cameraName: '六联社区深坪路口',
    detectedAt: RAISED,
    status: 'confirmed',
    hasSnapshot: true,
    snapshotUrl: SNAPSHOT,
    ...over,
  };
}

function appeal(id: string, sourceAlert: SourceAlert | null | undefined): ApiAppealDetail {
  const t = '2026-11-27T02:10:00.000Z';
  return {
    appeal: {
      id,
      community: '440310001001',
      communityName: '六联社区',
      street: '440310001',
      streetName: '坪山街道',
      status: 'collected',
      category: '5',
      subcategory: '5-08',
      channel: 'video_ai',
      nature: 'request',
      title: '占道经营 · 六联社区',
      location: { lon: 114.325, lat: 22.695 },
      reporter: null,
      reporterKind: 'resident',
      unit: null,
      createdAt: t,
      deadline: '2026-11-28T02:10:00.000Z',
      verifiedAt: null,
      dispatchedAt: null,
      resolvedAt: null,
      closedAt: null,
      updatedAt: t,
      overdue: false,
      satisfaction: null,
      extension: null,
      extensions: 0,
      reworks: 0,
      reopens: 0,
      description: null,
    },
    timeline: [],
    suggestion: { ruleId: 'r', level: 'street', unit: '街道城管执法队', unitEn: 'Street enforcement' },
    actions: [],
    ...(sourceAlert === undefined ? {} : { sourceAlert }),
  };
}

const alertView = (over: Partial<AlertView> = {}): AlertView => ({
  id: 'VA-SRC',
  status: 'confirmed',
  level: 'community',
  escalated: false,
  escalatedAt: null,
  algorithm: 'road_vending',
  community: '440310001001',
  cameraId: 'CAM-SRC-1',
  cameraName: '六联社区深坪路口',
  location: { lon: 114.325, lat: 22.695 },
  confidence: 0.91,
  snapshotUrl: SNAPSHOT,
  count: 2,
  raisedAt: RAISED,
  lastDetectedAt: RAISED,
  acknowledgedAt: RAISED,
  decidedAt: RAISED,
  by: 'user:op',
  reason: null,
  note: null,
  appealId: 'AP-VA-1',
  ...over,
});

/** The app's own route table, every screen replaced by an empty one (hrefs come from the real routes). */
function testRouter() {
  const Empty = { render: () => null };
  const records = routes.map((r) => ('component' in r && r.component ? { ...r, component: Empty } : r)) as RouteRecordRaw[];
  return createRouter({ history: createMemoryHistory(), routes: records });
}

async function mountAt<C>(
  path: string,
  component: C,
  props: Record<string, unknown>,
  lang: 'zh-CN' | 'en' = 'zh-CN',
  before: () => void = () => {},
) {
  const pinia = createPinia();
  setActivePinia(pinia);
  before();
  const router = testRouter();
  await router.push(path);
  await router.isReady();
  const wrapper = mount(component as never, {
    props: props as never,
    global: { plugins: [pinia, router, createAppI18n(lang)], stubs: { AppealActions: true } },
  });
  await flushPromises();
  return { wrapper, router };
}

/** Answers `METHOD url` (or a plain url for GET) from the table; anything else is a 404. */
function serve(routes: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const key = init?.method && init.method !== 'GET' ? `${init.method} ${url}` : url;
    return key in routes ? json(routes[key]) : json({ error: { code: 'not_found', message: 'no' } }, 404);
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe('an appeal’s source video alert', () => {
  it('shows the alert it came from: algorithm, status, camera, time, snapshot and a link into the alerts view', async () => {
    serve({ '/api/v1/appeals/AP-VA-1': appeal('AP-VA-1', source()) });
    const { wrapper } = await mountAt(`/console/${SCOPE}/appeals/AP-VA-1`, AppealDetailPanel, { id: 'AP-VA-1' });
    const block = wrapper.get('[data-testid="appeal-source-alert"]');
    expect(block.attributes('data-alert')).toBe('VA-SRC');
    expect(block.get('h3').text()).toBe('来源视频告警');
    expect(block.get('[data-testid="source-algorithm"]').text()).toBe('占道经营');
    expect(block.get('[data-testid="source-status"]').text()).toBe('已确认');
    expect(block.get('[data-testid="source-camera"]').text()).toBe('六联社区深坪路口');
    expect(block.get('[data-testid="source-time"]').text()).toBe('2026/11/27 10:05');
    expect(block.get('img[data-testid="alert-snapshot"]').attributes('src')).toBe(SNAPSHOT);
    const open = block.get('a[data-testid="source-open"]');
    expect(open.text()).toBe('查看告警');
    expect(open.attributes('href')).toBe(`/console/${SCOPE}/alerts?alert=VA-SRC`);
  });

  it('in English too; no snapshot, no picture; an unknown camera by its id', async () => {
    serve({ '/api/v1/appeals/AP-VA-2': appeal('AP-VA-2', source({ hasSnapshot: false, snapshotUrl: null, cameraName: null })) });
    const { wrapper } = await mountAt(`/console/${SCOPE}/appeals/AP-VA-2`, AppealDetailPanel, { id: 'AP-VA-2' }, 'en');
    const block = wrapper.get('[data-testid="appeal-source-alert"]');
    expect(block.get('h3').text()).toBe('Source video alert');
    expect(block.get('[data-testid="source-algorithm"]').text()).not.toBe('road_vending');
    expect(block.get('[data-testid="source-algorithm"]').text()).not.toBe('占道经营');
    expect(block.get('[data-testid="source-camera"]').text()).toBe('CAM-SRC-1');
    expect(block.get('[data-testid="source-time"]').text()).toBe('11/27/2026 10:05');
    expect(block.find('[data-testid="alert-snapshot"]').exists()).toBe(false);
    expect(block.text()).not.toContain('No snapshot');
    expect(block.get('a[data-testid="source-open"]').text()).toBe('Open the alert');
  });

  it('shows nothing of the kind for an appeal no alert created (or one the server withholds)', async () => {
    serve({ '/api/v1/appeals/AP-1': appeal('AP-1', null), '/api/v1/appeals/AP-OLD': appeal('AP-OLD', undefined) });
    for (const id of ['AP-1', 'AP-OLD']) {
      const { wrapper } = await mountAt(`/console/${SCOPE}/appeals/${id}`, AppealDetailPanel, { id });
      expect(wrapper.get('[data-testid="appeal-title"]').text()).toBe('占道经营 · 六联社区');
      expect(wrapper.find('[data-testid="appeal-source-alert"]').exists()).toBe(false);
      expect(wrapper.find('[data-testid="alert-snapshot"]').exists()).toBe(false);
      expect(wrapper.text()).not.toContain('来源视频告警');
    }
  });
});

describe('the alert asked for in the alerts view', () => {
  it('is shown on top, decided or not, linked to the appeal it became; closing it leaves the address', async () => {
    const fetch = serve({
      '/api/v1/alerts/VA-SRC': { alert: alertView(), communityName: '六联社区', streetName: '坪山街道', detections: [], actions: [] },
    });
    const { wrapper, router } = await mountAt(`/console/${SCOPE}/alerts?alert=VA-SRC`, AlertsPanel, { scope: SCOPE });
    expect(fetch).toHaveBeenCalledWith('/api/v1/alerts/VA-SRC', expect.objectContaining({ method: 'GET' }));
    const focus = wrapper.get('[data-testid="alert-focus"]');
    expect(focus.attributes('data-status')).toBe('confirmed');
    expect(focus.text()).toContain('占道经营');
    expect(focus.text()).toContain('六联社区深坪路口');
    expect(focus.get('img[data-testid="alert-snapshot"]').attributes('src')).toBe(SNAPSHOT);
    const link = focus.get('a[data-testid="alert-focus-open-appeal"]');
    expect(link.attributes('href')).toBe(`/console/${SCOPE}/appeals/AP-VA-1`);

    await focus.get('[data-testid="alert-focus-close"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.alert).toBeUndefined();
    expect(router.currentRoute.value.name).toBe('console-alerts');
    expect(wrapper.find('[data-testid="alert-focus"]').exists()).toBe(false);
  });

  it('has no appeal link while the alert became none, and says so when the alert is not there', async () => {
    serve({
      '/api/v1/alerts/VA-OPEN': {
        alert: alertView({ id: 'VA-OPEN', status: 'raised', appealId: null }),
        communityName: '六联社区',
        streetName: '坪山街道',
        detections: [],
        actions: [],
      },
    });
    const open = await mountAt(`/console/${SCOPE}/alerts?alert=VA-OPEN`, AlertsPanel, { scope: SCOPE });
    expect(open.wrapper.get('[data-testid="alert-focus"]').attributes('data-status')).toBe('raised');
    expect(open.wrapper.find('[data-testid="alert-focus-appeal"]').exists()).toBe(false);

    const gone = await mountAt(`/console/${SCOPE}/alerts?alert=VA-NONE`, AlertsPanel, { scope: SCOPE });
    expect(gone.wrapper.get('[data-testid="alert-focus"] [role="alert"]').text()).toBe('no');
  });

  it('shows an alert confirmed from the queue on top, with the appeal it became', async () => {
    const raised = alertView({ id: 'VA-Q', status: 'raised', appealId: null, acknowledgedAt: null, decidedAt: null, by: null });
    const confirmed = alertView({ id: 'VA-Q', appealId: 'AP-VA-Q' });
    const detail = { alert: confirmed, communityName: '六联社区', streetName: '坪山街道', detections: [], actions: [] };
    const fetch = serve({
      'POST /api/v1/alerts/VA-Q/actions': { eventId: 'e1', appealId: 'AP-VA-Q', ...detail },
      '/api/v1/alerts/VA-Q': detail,
    });
    const { wrapper, router } = await mountAt(`/console/${SCOPE}/alerts`, AlertsPanel, { scope: SCOPE }, 'zh-CN', () => {
      useMetricsStore().applySnapshot(snapshot(SCOPE, 1, { 'alerts.queue': [raised], 'alerts.open': 1 } as never));
      useSessionStore().me = { kind: 'user', name: 'op', role: 'operator', scope: SCOPE, pii: false, demo: false, allowedScopes: [SCOPE] };
    });
    expect(wrapper.find('[data-testid="alert-focus"]').exists()).toBe(false);
    await wrapper.get('[data-testid="alert-item"][data-alert="VA-Q"] [data-testid="alert-confirm"]').trigger('click');
    await flushPromises();
    expect(fetch).toHaveBeenCalledWith('/api/v1/alerts/VA-Q/actions', expect.objectContaining({ method: 'POST' }));
    expect(router.currentRoute.value.query.alert).toBe('VA-Q');
    const focus = wrapper.get('[data-testid="alert-focus"]');
    expect(focus.attributes('data-status')).toBe('confirmed');
    expect(focus.get('a[data-testid="alert-focus-open-appeal"]').attributes('href')).toBe(`/console/${SCOPE}/appeals/AP-VA-Q`);
  });

  it('is not shown without ?alert', async () => {
    const fetch = serve({});
    const { wrapper } = await mountAt(`/console/${SCOPE}/alerts`, AlertsPanel, { scope: SCOPE });
    expect(wrapper.find('[data-testid="alert-focus"]').exists()).toBe(false);
    expect(fetch).not.toHaveBeenCalled();
  });
});
