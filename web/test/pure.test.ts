import { afterEach, describe, expect, it, vi } from 'vitest';
import { topEntries, hourlyOption, barOption, dailyOption } from '../src/charts/options.ts';
import { niceMax, choroplethColor, inScopeExpr } from '../src/map/style.ts';
import { placeLabels } from '../src/map/labels.ts';
import { clusterPoints } from '../src/map/clusters.ts';
import { throttle } from '../src/map/throttle.ts';
import { computeTransform, quantizeFactor, parseScaleMode } from '../src/screen/scale.ts';
import { buildScopeIndex, type GeoCollection } from '../src/stores/scopes.ts';
import type { LivePoint } from '../src/stores/points.ts';

afterEach(() => vi.useRealTimers());

describe('chart options', () => {
  it('takes the largest entries and sums the rest as "others" when asked', () => {
    const rec = { a: 5, b: 9, c: 1, d: 0, e: 3 };
    expect(topEntries(rec, 2, (c) => c.toUpperCase()).map((e) => [e.name, e.value])).toEqual([
      ['B', 9],
      ['A', 5],
    ]);
    expect(topEntries(rec, 2, (c) => c, 'others').at(-1)).toEqual({ code: '_others', name: 'others', value: 4 });
    expect(topEntries(undefined, 5, (c) => c)).toEqual([]);
  });

  it('draws complete hours solid and the hour in progress dotted, nothing after it', () => {
    const o = hourlyOption([1, 2, 3, 4], [5, 6], {
      lang: 'zh-CN',
      currentHour: 2,
      labels: { today: '今日', yesterday: '昨日', hour: (h) => `${h}时` },
    }) as any;
    const [yesterday, done, partial] = o.series;
    expect(done.name).toBe('今日');
    expect(done.data.slice(0, 4)).toEqual([1, 2, null, null]);
    expect(done.data).toHaveLength(24);
    expect(partial.data.slice(0, 4)).toEqual([null, 2, 3, null]);
    expect(partial.lineStyle.type).not.toBe('solid');
    expect(yesterday.name).toBe('昨日');
    expect(yesterday.lineStyle.type).not.toBe('solid'); // told apart by shape, not only colour
    expect(o.xAxis.data[13]).toBe('13时');
  });

  it('bars keep their order and highlight today in the 30-day trend', () => {
    const b = barOption([{ code: 'x', name: 'X', value: 3 }], { lang: 'en' }) as any;
    expect(b.yAxis.data).toEqual(['X']);
    expect(b.yAxis.inverse).toBe(true);
    const d = dailyOption(
      [
        { date: '2026-11-26', count: 1 },
        { date: '2026-11-27', count: 2 },
      ],
      { lang: 'en', label: 'Appeals' },
    ) as any;
    expect(d.xAxis.data).toEqual(['11/26', '11/27']);
    expect(d.series[0].data[1].itemStyle.color).not.toBe(d.series[0].data[0].itemStyle.color);
  });
});

describe('map helpers', () => {
  it('rounds the legend maximum to a steady value', () => {
    expect(niceMax(0)).toBe(10);
    expect(niceMax(207)).toBe(250);
    expect(niceMax(1000)).toBe(1000);
    expect(niceMax(1001)).toBe(1500);
  });

  it('colours by open appeals only where a figure exists', () => {
    const e = choroplethColor(100) as unknown[];
    expect(e[0]).toBe('case');
    expect(JSON.stringify(e)).toContain('"feature-state","open"');
    expect(JSON.stringify(inScopeExpr('street', '440310001'))).toContain('440310001');
  });

  it('places labels by priority, moves them aside, and hides what does not fit', () => {
    const placed = placeLabels(
      [
        { id: 'street', x: 100, y: 100, w: 60, h: 20, priority: 10 },
        { id: 'a', x: 105, y: 100, w: 60, h: 20, priority: 5 }, // same spot: moves below
        { id: 'b', x: 100, y: 98, w: 60, h: 20, priority: 1 }, // same spot again: moves above
        { id: 'edge', x: 2, y: 2, w: 60, h: 20, priority: 1 }, // would stick out of the view
        { id: 'cluster', x: 300, y: 300, w: 30, h: 30, priority: 99, fixed: true },
        { id: 'c', x: 300, y: 300, w: 20, h: 10, priority: 4 },
      ],
      { width: 400, height: 400 },
    );
    expect(placed.get('street')).toEqual({ dx: 0, dy: 0 });
    expect(placed.get('a')!.dy).toBeGreaterThan(0);
    expect(placed.get('b')!.dy).toBeLessThan(0);
    expect(placed.has('edge')).toBe(false);
    expect(placed.has('cluster')).toBe(false); // obstacles are not labels
    expect(placed.get('c')).not.toEqual({ dx: 0, dy: 0 });
  });

  it('clusters dense points and keeps lone ones apart', () => {
    const now = 1_000_000;
    const pt = (i: number, lon: number, kind: LivePoint['kind'] = 'appeal'): LivePoint => ({
      id: `p${i}`,
      kind,
      lon,
      lat: 22.7,
      at: now,
      seenAt: now,
      community: 'c',
      label: 'l',
    });
    const pts = [pt(1, 114.3), pt(2, 114.3001), pt(3, 114.3002, 'alert'), pt(4, 114.42)];
    const fc = clusterPoints(pts, [114.2, 22.6, 114.5, 22.8], 11, now);
    const clusters = fc.features.filter((f) => f.properties.cluster);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].properties.point_count).toBe(3);
    expect(clusters[0].properties.alerts).toBe(1);
    expect(fc.features.filter((f) => !f.properties.cluster).map((f) => f.properties.id)).toEqual(['p4']);
  });

  it('throttles to one run per interval with the trailing call kept', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t();
    t();
    t();
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    t();
    t();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(600);
    expect(fn).toHaveBeenCalledTimes(2);
    t.cancel();
  });
});

describe('screen scaling', () => {
  const design = { width: 1920, height: 1080 };
  it('fit keeps the aspect ratio and centres the canvas', () => {
    expect(computeTransform('fit', design, { width: 3840, height: 2160 })).toEqual({ sx: 2, sy: 2, ox: 0, oy: 0, renderFactor: 2 });
    expect(computeTransform('fit', design, { width: 7680, height: 2160 })).toEqual({ sx: 2, sy: 2, ox: 1920, oy: 0, renderFactor: 2 });
  });
  it('fill stretches each axis and renders canvases for the larger one', () => {
    expect(computeTransform('fill', design, { width: 7680, height: 2160 })).toEqual({ sx: 4, sy: 2, ox: 0, oy: 0, renderFactor: 4 });
  });
  it('reads the mode from the URL and steps the render factor', () => {
    expect(parseScaleMode('fill')).toBe('fill');
    expect(parseScaleMode(undefined)).toBe('auto');
    expect(parseScaleMode('zoom')).toBe('auto');
    expect(quantizeFactor(0.6)).toBe(1);
    expect(quantizeFactor(2)).toBe(2);
    expect(quantizeFactor(1.3)).toBe(1.5);
  });
});

describe('scope index', () => {
  const square = (x: number) => ({
    type: 'Polygon' as const,
    coordinates: [
      [
        [x, 0],
        [x + 1, 0],
        [x + 1, 1],
        [x, 1],
        [x, 0],
      ],
    ],
  });
  const geo: GeoCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { level: 'district', code: '440310', name: '坪山区', nameEn: 'Pingshan District', parent: null, center: [0.5, 0.5] },
        geometry: square(0),
      },
      {
        type: 'Feature',
        properties: {
          level: 'street',
          code: '440310001',
          name: '坪山街道',
          nameEn: 'Pingshan Subdistrict',
          parent: '440310',
          center: [0.5, 0.5],
        },
        geometry: square(0),
      },
      {
        type: 'Feature',
        properties: {
          level: 'community',
          code: '440310001001',
          name: '六联社区',
          nameEn: 'Liulian Community',
          parent: '440310001',
          center: [0.5, 0.5],
        },
        geometry: square(2),
      },
    ],
  };
  it('builds the tree from the geography alone, with English names and boxes', () => {
    const idx = buildScopeIndex(null, geo);
    expect(idx.get('street:440310001')?.parent).toBe('district:440310');
    expect(idx.get('district:440310')?.children).toEqual(['street:440310001']);
    expect(idx.get('community:440310001001')?.nameEn).toBe('Liulian Community');
    expect(idx.get('community:440310001001')?.bbox).toEqual([2, 0, 3, 1]);
  });
});
