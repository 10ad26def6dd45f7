/**
 * An alert's snapshot as an image URL. People send their session cookie with a plain <img>, but a
 * paired wall identifies itself with a bearer token, which an <img> cannot send: the image is
 * fetched with the token and shown from a blob: URL, released when it is no longer shown.
 */
import { onScopeDispose, ref, watch, type MaybeRefOrGetter, toValue } from 'vue';
import { deviceToken } from '../api/device-token.ts';

export function useSnapshot(url: MaybeRefOrGetter<string | null | undefined>) {
  const src = ref<string | null>(null);
  let objectUrl: string | null = null;
  let ctl: AbortController | null = null;
  const release = () => {
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = null;
  };

  watch(
    () => toValue(url),
    async (u) => {
      ctl?.abort();
      release();
      src.value = null;
      if (!u) return;
      const token = deviceToken.get();
      if (!token) {
        src.value = u;
        return;
      }
      const mine = (ctl = new AbortController());
      try {
        const res = await fetch(u, { headers: { authorization: `Bearer ${token}` }, signal: mine.signal });
        if (!res.ok) return;
        const blob = await res.blob();
        if (mine.signal.aborted) return;
        objectUrl = URL.createObjectURL(blob);
        src.value = objectUrl;
      } catch {
        /* aborted or offline: no picture */
      }
    },
    { immediate: true },
  );
  onScopeDispose(() => {
    ctl?.abort();
    release();
  });
  return src;
}
