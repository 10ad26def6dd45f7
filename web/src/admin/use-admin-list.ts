/**
 * What every admin section does with the server: each request clears the section's error line
 * and, if it fails, shows the server's message there; a section that lists things reads its list
 * when it opens and again after each change.
 */
import { onMounted, ref, shallowRef } from 'vue';
import { api, ApiError } from '../api/http.ts';

export function useAdminRequest() {
  const error = ref<string | null>(null);
  /** Runs a request (and whatever follows it); a failure becomes the error line. */
  async function act(request: () => Promise<unknown>): Promise<void> {
    error.value = null;
    try {
      await request();
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    }
  }
  return { error, act };
}

/** The list at `url`, read on mount; `change()` sends a request and then reads the list again. */
export function useAdminList<T>(url: string) {
  const { error, act } = useAdminRequest();
  const items = shallowRef<T[]>([]);
  const load = () =>
    act(async () => {
      items.value = await api<T[]>(url);
    });
  const change = (request: () => Promise<unknown>) =>
    act(async () => {
      await request();
      await load();
    });
  onMounted(load);
  return { items, error, load, act, change };
}
