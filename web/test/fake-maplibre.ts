/**
 * One stand-in for maplibre-gl in happy-dom, which has no WebGL: a map that records what it is
 * told (feature state, paint, layout, filters, cameras, data) and fires events when a test says
 * so, markers that are plain elements in the page, and popups that do nothing. Use it with
 *   vi.mock('maplibre-gl', () => import('./fake-maplibre.ts'));
 * and find the maps the app created in `maps`. Like MapLibre, a removed map has no style left:
 * its layers and sources can no longer be asked for.
 */
import { vi } from 'vitest';

type Handler = (arg?: any) => void;
type LngLat = [number, number];

/** Every map created since the last `resetFakeMaps`, oldest first. */
export const maps: FakeMap[] = [];
/** Every marker created since then. */
export const markers: Marker[] = [];
let initialZoom = 11;

/** Forgets the maps and markers; new maps report `zoom` (the fake does not compute one from the bounds). */
export function resetFakeMaps(opts: { zoom?: number } = {}): void {
  maps.length = 0;
  markers.length = 0;
  initialZoom = opts.zoom ?? 11;
}

/** The marker whose element `el` is. */
export function markerOf(el: Element | null): Marker | undefined {
  return markers.find((m) => m.el === el);
}

export class FakeMap {
  opts: any;
  zoom = initialZoom;
  removed = false;
  handlers: { type: string; layer?: string; fn: Handler }[] = [];
  featureState = new Map<string, Record<string, unknown>>();
  /** Visibility by layer id, as last set. */
  layout = new Map<string, unknown>();
  paint: [string, string, unknown][] = [];
  filters: [string, unknown][] = [];
  fitted: [unknown, any][] = [];
  pixelRatios: number[] = [];
  /** Layers of the style it was created with, and those added later. */
  layers = new Set<string>();
  /** The point source's data. */
  setData = vi.fn();
  /** The camera layer's source is fed apart from the points. */
  cameraData = vi.fn();
  /** The other sources (basemap, components, heat), by source id. */
  otherData = new Map<string, ReturnType<typeof vi.fn>>();
  canvas = { style: {} as Record<string, string> };
  /** Screen position of a lon/lat; by default everything lands on one spot. */
  projection: (c: LngLat) => { x: number; y: number } = () => ({ x: 100, y: 100 });

  constructor(opts: any) {
    this.opts = opts;
    for (const l of opts?.style?.layers ?? []) this.layers.add(l.id);
    maps.push(this);
  }
  on(type: string, a: string | Handler, b?: Handler) {
    this.handlers.push(typeof a === 'function' ? { type, fn: a } : { type, layer: a, fn: b! });
    return this;
  }
  once(type: string, fn: Handler) {
    const once: Handler = (arg) => {
      this.off(type, once);
      fn(arg);
    };
    return this.on(type, once);
  }
  off(type: string, a: string | Handler, b?: Handler) {
    const [layer, fn] = typeof a === 'function' ? [undefined, a] : [a, b];
    this.handlers = this.handlers.filter((h) => !(h.type === type && h.layer === layer && h.fn === fn));
    return this;
  }
  /** Calls the listeners of `type` (on `layer` only, if given) as MapLibre would. */
  fire(type: string, arg?: unknown, layer?: string) {
    for (const h of [...this.handlers]) if (h.type === type && (layer === undefined || h.layer === layer)) h.fn(arg);
  }
  listeners(type: string, layer?: string) {
    return this.handlers.filter((h) => h.type === type && (layer === undefined || h.layer === layer)).length;
  }
  setFeatureState(f: { id: string }, s: Record<string, unknown>) {
    this.featureState.set(f.id, { ...this.featureState.get(f.id), ...s });
  }
  removeFeatureState(f: { id: string }, key?: string) {
    const s = { ...this.featureState.get(f.id) };
    if (key) delete s[key];
    this.featureState.set(f.id, key ? s : {});
  }
  setPaintProperty(layer: string, prop: string, v: unknown) {
    this.paint.push([layer, prop, v]);
  }
  setFilter(layer: string, f: unknown) {
    this.filters.push([layer, f]);
  }
  setLayoutProperty(layer: string, prop: string, v: unknown) {
    if (prop === 'visibility') this.layout.set(layer, v);
  }
  fitBounds(b: unknown, o: any) {
    this.fitted.push([b, o]);
  }
  setPixelRatio(r: number) {
    this.pixelRatios.push(r);
  }
  private style() {
    if (this.removed) throw new TypeError("Cannot read properties of null (reading 'getLayer')");
  }
  getSource(id: string) {
    this.style();
    if (id === 'cameras') return { setData: this.cameraData };
    if (id === 'points') return { setData: this.setData };
    if (!this.otherData.has(id)) this.otherData.set(id, vi.fn());
    return { setData: this.otherData.get(id)! };
  }
  addSource() {
    this.style();
  }
  addLayer(l: { id: string }) {
    this.style();
    this.layers.add(l.id);
  }
  /** Nothing is rendered by a fake: no grid cell lies over a community. */
  queryRenderedFeatures() {
    return [];
  }
  getLayer(id: string) {
    this.style();
    return this.layers.has(id) ? {} : undefined;
  }
  removeLayer(id: string) {
    this.style();
    this.layers.delete(id);
  }
  removeSource() {
    this.style();
  }
  getBounds() {
    return { getWest: () => 114.2, getSouth: () => 22.6, getEast: () => 114.5, getNorth: () => 22.8 };
  }
  getZoom() {
    return this.zoom;
  }
  project(c: LngLat) {
    return this.projection(c);
  }
  getCanvas() {
    return this.canvas;
  }
  loaded() {
    return true;
  }
  remove() {
    this.removed = true;
    this.fire('remove');
  }
}

export class Marker {
  el: HTMLElement;
  lngLat: LngLat | null = null;
  offset: [number, number] = [0, 0];
  constructor(o: { element: HTMLElement }) {
    this.el = o.element;
    markers.push(this);
  }
  setLngLat(c: LngLat) {
    this.lngLat = c;
    return this;
  }
  addTo() {
    document.body.appendChild(this.el);
    return this;
  }
  setOffset(o: [number, number]) {
    this.offset = o;
    return this;
  }
  remove() {
    this.el.remove();
  }
  getElement() {
    return this.el;
  }
}

export class Popup {
  setLngLat() {
    return this;
  }
  setText() {
    return this;
  }
  addTo() {
    return this;
  }
  remove() {}
}

export { FakeMap as Map };
export const setWorkerUrl = vi.fn();
