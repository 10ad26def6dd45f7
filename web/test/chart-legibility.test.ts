/**
 * The charts draw their text in a canvas, where a browser test cannot measure it: every font size
 * the chart options set is at least 13 design pixels, the smallest the walls allow (1/84 of a
 * 1080-pixel screen's height: see docs/themes.md, "Walls of every shape").
 */
import { describe, expect, it } from 'vitest';
import {
  barOption,
  columnOption,
  dailyOption,
  gaugeOption,
  hourlyOption,
  lineOption,
  pieLayout,
  pieOption,
} from '../src/charts/options.ts';

const MIN_DESIGN_PX = 13;

function fontSizes(v: unknown, path = '', out: { path: string; size: number }[] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => fontSizes(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === 'fontSize' && typeof x === 'number') out.push({ path: `${path}.${k}`, size: x });
      else fontSizes(x, `${path}.${k}`, out);
    }
  return out;
}

describe('chart text', () => {
  const items = [
    { code: '1', name: '市容环卫', value: 51 },
    { code: '2', name: '规土城建', value: 20 },
  ];
  const options = {
    bar: barOption(items, { lang: 'zh-CN' }),
    pie: pieOption(items, { lang: 'zh-CN', totalLabel: '今日诉求' }),
    hourly: hourlyOption([1, 2, 3], [2, 3, 4], {
      lang: 'zh-CN',
      currentHour: 3,
      labels: { today: '今日', yesterday: '昨日', hour: (h) => `${h}时` },
    }),
    daily: dailyOption([{ date: '2026-12-07', count: 3 }], { lang: 'zh-CN', label: '诉求' }),
    line: lineOption(['12/06', '12/07'], [{ name: '巡查', data: [1, 2] }], { lang: 'zh-CN' }),
    gauge: gaugeOption(0.9, { lang: 'zh-CN', label: '按时办结率' }),
    column: columnOption(items, { lang: 'zh-CN' }),
  };
  for (const [name, option] of Object.entries(options))
    it(`${name}: every font at least ${MIN_DESIGN_PX} px`, () => {
      const sizes = fontSizes(option);
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.filter((s) => s.size < MIN_DESIGN_PX)).toEqual([]);
    });
});

describe('a donut and its legend', () => {
  // a box as wide walls give it, a square one, a portrait wall's narrow column, a small screen's
  const boxes = [
    { width: 460, height: 300 },
    { width: 400, height: 400 },
    { width: 340, height: 390 },
    { width: 250, height: 330 },
    { width: 900, height: 220 },
  ];
  for (const box of boxes)
    it(`stays in its ${box.width}×${box.height} box and clear of the legend`, () => {
      const entries = 7;
      const at = pieLayout(box, entries);
      const [cx, cy] = at.center;
      expect(cx - at.radius).toBeGreaterThanOrEqual(0);
      expect(cx + at.radius).toBeLessThanOrEqual(box.width);
      expect(cy - at.radius).toBeGreaterThanOrEqual(0);
      expect(cy + at.radius).toBeLessThanOrEqual(box.height);
      if (typeof at.legend.left === 'number') expect(cx + at.radius, 'beside the legend').toBeLessThan(at.legend.left);
      else expect(cy + at.radius, 'above the legend').toBeLessThanOrEqual(at.legend.top as number);
      expect(at.radius).toBeGreaterThan(40);
    });
});
