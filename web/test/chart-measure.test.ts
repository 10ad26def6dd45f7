import { describe, expect, it } from 'vitest';
import { createTextMeasurer, estimateWidth, type MeasureContext } from '../src/charts/measure.ts';

function fakeContext(log: string[]): MeasureContext {
  return {
    font: '',
    measureText(text: string) {
      log.push(`${this.font}|${text}`);
      return { width: text.length * 7 } as TextMetrics;
    },
  };
}

describe('chart text measurement', () => {
  it('measures on the canvas and sets the font only when it changes', () => {
    const log: string[] = [];
    const measure = createTextMeasurer(() => fakeContext(log));
    expect(measure('1,234', '14px sans-serif').width).toBe(35);
    measure('56', '14px sans-serif');
    measure('7', '13px serif');
    expect(log).toEqual(['14px sans-serif|1,234', '14px sans-serif|56', '13px serif|7']);
  });

  it('moves to a fresh canvas after a bounded number of measurements, so that the old one can go', () => {
    const made: MeasureContext[] = [];
    const measure = createTextMeasurer(() => {
      const c = fakeContext([]);
      made.push(c);
      return c;
    }, 100);
    for (let i = 0; i < 1000; i++) measure(String(i), '14px sans-serif');
    expect(made).toHaveLength(10);
    // The new canvas gets the font set again.
    expect(made.every((c) => c.font === '14px sans-serif')).toBe(true);
  });

  it('estimates a width where there is no canvas', () => {
    const measure = createTextMeasurer(() => null);
    expect(measure('坪山', '20px sans-serif').width).toBe(40);
    expect(estimateWidth('ab', '10px x')).toBeCloseTo(11);
  });
});
