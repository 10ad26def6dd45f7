/**
 * The admin sections' requests: the list is read when the section opens, a failed change shows
 * the server's message (and reads nothing again), the next request clears it, and a change that
 * works reads the list again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { api } from '../src/api/http.ts';
import { useAdminList } from '../src/admin/use-admin-list.ts';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function section() {
  let list!: ReturnType<typeof useAdminList<{ id: number }>>;
  const wrapper = mount(
    defineComponent({
      setup() {
        list = useAdminList<{ id: number }>('/api/v1/admin/things');
        return () => h('p', list.error.value ?? `${list.items.value.length} items`);
      },
    }),
  );
  return { wrapper, list: () => list };
}

afterEach(() => vi.unstubAllGlobals());

describe('useAdminList', () => {
  it('reads the list on mount, shows a failed change’s message, clears it on the next request, reads again after a change', async () => {
    const fetch = vi.fn().mockResolvedValueOnce(json(200, [{ id: 1 }]));
    vi.stubGlobal('fetch', fetch);
    const { wrapper, list } = section();
    await flushPromises();
    expect(fetch).toHaveBeenCalledWith('/api/v1/admin/things', expect.objectContaining({ method: 'GET' }));
    expect(wrapper.text()).toBe('1 items');

    fetch.mockResolvedValueOnce(json(409, { error: { code: 'conflict', message: 'username "ann" is taken' } }));
    await list().change(() => api('/api/v1/admin/things', { method: 'POST', body: { name: 'ann' } }));
    expect(wrapper.text()).toBe('username "ann" is taken');
    expect(fetch).toHaveBeenCalledTimes(2); // no reading again after a failure

    fetch.mockResolvedValueOnce(json(201, { id: 2 })).mockResolvedValueOnce(json(200, [{ id: 1 }, { id: 2 }]));
    await list().change(() => api('/api/v1/admin/things', { method: 'POST', body: { name: 'bo' } }));
    await flushPromises();
    expect(wrapper.text()).toBe('2 items');
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('says when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('fetch failed')));
    const { wrapper } = section();
    await flushPromises();
    expect(wrapper.text()).toBe('the server cannot be reached');
  });
});
