/**
 * The gauge's option in real ECharts (server-side SVG rendering, no canvas needed): a rate that
 * appears, goes and comes back must update the chart, not throw.
 */
import { describe, expect, it } from 'vitest';
import { init } from '../src/charts/echarts.ts';
import { gaugeOption } from '../src/charts/options.ts';

describe('gauge option', () => {
  it('updates from no rate to a rate and back without an error', () => {
    const chart = init(null, undefined, { renderer: 'svg', ssr: true, width: 300, height: 200 });
    try {
      for (const rate of [null, 0.42, null, 0.97, 0.5]) {
        expect(() => chart.setOption(gaugeOption(rate, { lang: 'zh-CN', label: '在线率' }))).not.toThrow();
        // ECharts draws on the next frame in a browser; force it here so that errors surface
        expect(() => chart.renderToSVGString()).not.toThrow();
      }
      expect(chart.renderToSVGString()).toContain('50.0%');
    } finally {
      chart.dispose();
    }
  });
});
