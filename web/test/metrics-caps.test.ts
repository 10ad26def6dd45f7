import { describe, expect, it } from 'vitest';
import { capMetrics, SERIES_CAPS } from '../src/stores/metrics.ts';
import { metrics, tickerItem } from './fixtures.ts';

const days = (n: number) => Array.from({ length: n }, (_, i) => ({ date: `d${i}`, count: i }));

describe('series caps', () => {
  it('keeps the newest of every series a wall holds, whatever the server sends', () => {
    const m = capMetrics(
      metrics({
        recent: Array.from({ length: 100 }, (_, i) => tickerItem(i)),
        'appeals.hourlyToday': Array.from({ length: 48 }, (_, i) => i),
        'appeals.daily': days(90),
        'inspections.daily': days(90),
        'scans.daily': days(90),
      }),
    );
    expect(m.recent).toHaveLength(SERIES_CAPS.recent);
    expect(m.recent[0].id).toBe('ev-0'); // newest first
    expect(m['appeals.hourlyToday']).toHaveLength(24);
    for (const key of ['appeals.daily', 'inspections.daily', 'scans.daily'] as const) {
      expect(m[key], key).toHaveLength(SERIES_CAPS.daily);
      expect(m[key].at(-1)!.date, key).toBe('d89'); // oldest dropped
    }
  });

  it('leaves short series as they are', () => {
    const m = metrics();
    expect(capMetrics(m)['inspections.daily']).toBe(m['inspections.daily']);
  });
});
