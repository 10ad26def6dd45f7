/**
 * The quarantine tab: it lists what the server holds aside, counts the held entries, and a
 * release (after a confirm) asks the server to release them all and reads the list again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import AdminQuarantine from '../src/admin/AdminQuarantine.vue';
import { createAppI18n } from '../src/i18n/index.ts';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const entry = (over: Record<string, unknown> = {}) => ({
  seq: 7,
  projection: 'appeals read model',
  eventId: 'legacy-1',
  type: 'appeal.created',
  error: 'InvalidEventTimeError: time "2026-12-31T23:59:60Z" is a leap second',
  quarantinedAt: '2026-12-02T02:00:00.000Z',
  releasedAt: null,
  releasedBy: null,
  ...over,
});

afterEach(() => vi.unstubAllGlobals());

describe('AdminQuarantine', () => {
  it('lists the held events with their errors and releases them all', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(
        json(200, { held: 2, entries: [entry(), entry({ seq: 9, eventId: null, type: null, projection: 'event log' })] }),
      )
      .mockResolvedValueOnce(json(200, { released: 2 }))
      .mockResolvedValueOnce(
        json(200, { held: 0, entries: [entry({ releasedAt: '2026-12-02T03:00:00.000Z', releasedBy: 'user:admin' })] }),
      );
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('confirm', () => true);
    const wrapper = mount(AdminQuarantine, { global: { plugins: [createAppI18n('zh-CN')] } });
    await flushPromises();
    expect(wrapper.get('[data-testid="quarantine-held"]').text()).toBe('隔离中 2 条');
    const rows = wrapper.get('[data-testid="quarantine-rows"]').text();
    expect(rows).toContain('legacy-1');
    expect(rows).toContain('leap second');
    expect(rows).toContain('（无法读取）');

    await wrapper.get('[data-testid="quarantine-release"]').trigger('click');
    await flushPromises();
    expect(fetch).toHaveBeenNthCalledWith(
      2,
      '/api/v1/admin/quarantine/release',
      expect.objectContaining({ method: 'POST', body: '{"all":true}' }),
    );
    expect(wrapper.get('[data-testid="quarantine-held"]').text()).toBe('隔离中 0 条');
    expect(wrapper.get('[data-testid="quarantine-release"]').attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="quarantine-rows"]').text()).toContain('已放行（user:admin）');
  });
});
