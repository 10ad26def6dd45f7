import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/**
 * Layout size (CSS px, unaffected by a scaling transform) of an element, updated at most every
 * `throttleMs` when it changes. For option builders that need to know how much room they have.
 */
export function useElementSize(el: Ref<HTMLElement | null>, throttleMs = 200) {
  const width = ref(0);
  const height = ref(0);
  let observer: ResizeObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const read = () => {
    timer = null;
    if (!el.value) return;
    width.value = el.value.clientWidth;
    height.value = el.value.clientHeight;
  };
  onMounted(() => {
    read();
    if (typeof ResizeObserver === 'undefined' || !el.value) return;
    observer = new ResizeObserver(() => {
      timer ??= setTimeout(read, throttleMs);
    });
    observer.observe(el.value);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    if (timer) clearTimeout(timer);
  });
  return { width, height };
}
