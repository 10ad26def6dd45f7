import { onMounted, ref, type Ref } from 'vue';
import { useResizeObserver, useTimeoutFn } from '@vueuse/core';

/**
 * Layout size (CSS px, unaffected by a scaling transform) of an element, updated at most every
 * `throttleMs` when it changes. For option builders that need to know how much room they have.
 */
export function useElementSize(el: Ref<HTMLElement | null>, throttleMs = 200) {
  const width = ref(0);
  const height = ref(0);
  const read = () => {
    if (!el.value) return;
    width.value = el.value.clientWidth;
    height.value = el.value.clientHeight;
  };
  const later = useTimeoutFn(read, throttleMs, { immediate: false });
  onMounted(read);
  useResizeObserver(el, () => {
    if (!later.isPending.value) later.start();
  });
  return { width, height };
}
