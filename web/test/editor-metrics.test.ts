/** The metric choices the editor offers per widget type: exactly the metrics of a shape the validator accepts there. */
import { describe, expect, it } from 'vitest';
import { METRIC_SHAPES, validateTheme, WIDGET_TYPES, type Theme } from '@commandhall/shared/themes';
import { bindSlots, metricChoices } from '../src/editor/metric-choices.ts';
import { defaultWidget } from '../src/editor/widget-defaults.ts';

describe('metric choices per widget type', () => {
  it('offers a gauge rates and ratios only', () => {
    const keys = metricChoices('gauge', 0);
    expect(keys).toContain('appeals.onTimeRate');
    expect(keys).toContain('cameras.online');
    expect(keys).not.toContain('appeals.today');
    expect(new Set(keys.map((k) => METRIC_SHAPES[k]))).toEqual(new Set(['rate', 'ratio']));
  });

  it('follows the slot: a map reads communities first, then points', () => {
    expect(metricChoices('map', 0)).toEqual(['map.communities']);
    expect(metricChoices('map', 1)).toEqual(['map.alerts', 'recent']);
    // the last slot's shapes repeat
    expect(metricChoices('map', 2)).toEqual(['map.alerts', 'recent']);
  });

  it('offers nothing to widgets that read no metric', () => {
    for (const type of ['text', 'clock', 'image', 'title'] as const) expect(metricChoices(type, 0)).toEqual([]);
  });

  it('offers only choices that validate, for every type and slot', () => {
    const base: Theme = {
      schema: 1,
      id: 't',
      name: 't',
      levels: ['district'],
      grid: { width: 1920, height: 1080, cols: 48, rows: 27, gap: 12 },
      widgets: [],
    };
    for (const type of WIDGET_TYPES) {
      const w = defaultWidget(type, 'w', { x: 0, y: 0, w: 10, h: 10 });
      w.bind.forEach((_, slot) => {
        for (const key of metricChoices(type, slot)) {
          const bind = [...w.bind];
          bind[slot] = key;
          const issues = validateTheme({ ...base, widgets: [{ ...w, bind }] }).filter((i) => i.path === `widgets/0/bind/${slot}`);
          expect(issues, `${type} slot ${slot}: ${key}`).toEqual([]);
        }
      });
    }
  });

  it('shows slots up to the minimum, lets one more be added up to the maximum, removes only optional ones', () => {
    expect(bindSlots('hourly', [])).toMatchObject({ slots: 1, canAdd: true });
    const two = bindSlots('hourly', ['appeals.hourlyToday', 'appeals.hourlyYesterday']);
    expect(two).toMatchObject({ slots: 2, canAdd: false });
    expect([two.removable(0), two.removable(1)]).toEqual([false, true]);
    expect(bindSlots('text', [])).toMatchObject({ slots: 0, canAdd: false });
  });
});
