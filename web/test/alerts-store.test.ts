/** The alert queue as screens show it, and which alerts wait for the wall's popup. */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AlertUpdate, AlertView } from '@commandhall/shared/alert-lifecycle';
import { mergeQueue, useAlertsStore } from '../src/alerts/alerts-store.ts';

const view = (id: string, over: Partial<AlertView> = {}): AlertView => ({
  id,
  status: 'raised',
  level: 'community',
  escalated: false,
  escalatedAt: null,
  algorithm: 'shop_outside',
  community: '440310001001',
  cameraId: 'CAM-1',
  cameraName: null,
  location: { lon: 114.3, lat: 22.7 },
  confidence: 0.9,
  snapshotUrl: null,
  count: 1,
  raisedAt: `2026-11-27T02:0${id.length % 10}:00.000Z`,
  lastDetectedAt: '2026-11-27T02:00:00.000Z',
  acknowledgedAt: null,
  decidedAt: null,
  by: null,
  reason: null,
  note: null,
  appealId: null,
  ...over,
});
const update = (kind: AlertUpdate['kind'], alert: AlertView): AlertUpdate => ({ kind, alert, scopes: [] });

describe('alert queue on screen', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lays fresh updates over the queue: new alerts appear, decided ones leave, others of the area only', () => {
    const queue = [view('a', { raisedAt: '2026-11-27T02:00:00.000Z' })];
    const now = 1_000_000;
    const overrides = new Map([
      ['b', { view: view('b', { raisedAt: '2026-11-27T02:05:00.000Z' }), at: now - 1000 }],
      ['a', { view: view('a', { status: 'dismissed' }), at: now - 1000 }],
      ['c', { view: view('c', { community: '440310005001' }), at: now - 1000 }],
    ]);
    const shown = mergeQueue(queue, overrides, (a) => a.community.startsWith('440310001'), now);
    expect(shown.map((a) => a.id)).toEqual(['b']);
  });

  it('forgets an update once the queue has had time to carry it', () => {
    const queue = [view('a')];
    const overrides = new Map([['a', { view: view('a', { status: 'dismissed' }), at: 0 }]]);
    expect(mergeQueue(queue, overrides, () => true, 60_000).map((a) => a.id)).toEqual(['a']);
  });

  it('announces raised and escalated alerts once each, and stops when someone acknowledges or decides', () => {
    const s = useAlertsStore();
    s.apply(update('raised', view('a')));
    s.apply(update('raised', view('b')));
    s.apply(update('merged', view('a', { count: 2 })));
    expect(s.popups.map((p) => p.alert.id)).toEqual(['a', 'b']);
    s.apply(update('acknowledged', view('a', { status: 'acknowledged' })));
    expect(s.popups.map((p) => p.alert.id)).toEqual(['b']);
    s.apply(update('escalated', view('b', { level: 'street', escalated: true })));
    expect(s.popups).toHaveLength(1);
    expect(s.popups[0].kind).toBe('escalated');
    s.apply(update('dismissed', view('b', { status: 'dismissed' })));
    expect(s.popups).toEqual([]);
  });
});
