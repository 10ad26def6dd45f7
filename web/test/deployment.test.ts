import { afterEach, describe, expect, it } from 'vitest';
import { deployment, rootScope, loadDeployment, offsetSuffix, setDeployment, type Deployment } from '../src/deployment.ts';
import { formatClock, formatDate, formatWeekday } from '../src/format/time.ts';
import { dayStart } from '../src/appeals/api.ts';

const PINGSHAN = deployment();
afterEach(() => setDeployment(PINGSHAN));

const KATHMANDU: Deployment = {
  root: { scope: 'district:999001', level: 'district', code: '999001', name: 'Elsewhere' },
  utcOffsetMinutes: 345,
};

describe('the deployment from the server', () => {
  it('sets the clock, the day bounds and the start scope: none of it is built in', () => {
    const t = Date.UTC(2026, 10, 27, 18, 30, 5); // 02:30:05 on the 28th in Shenzhen
    expect(formatClock(t, 'zh-CN')).toBe('02:30:05');
    expect(formatDate(t, 'zh-CN')).toBe('2026/11/28');
    expect(dayStart('2026-11-28')).toBe('2026-11-28T00:00:00+08:00');
    expect(rootScope()).toBe('district:440310');

    setDeployment(KATHMANDU); // UTC+05:45, an offset with no whole hour
    expect(formatClock(t, 'zh-CN')).toBe('00:15:05');
    expect(formatDate(t, 'zh-CN')).toBe('2026/11/28');
    expect(formatWeekday(t, 'en')).toBe('Saturday');
    expect(dayStart('2026-11-28')).toBe('2026-11-28T00:00:00+05:45');
    expect(rootScope()).toBe('district:999001');

    setDeployment({ ...KATHMANDU, utcOffsetMinutes: -210 }); // UTC−03:30
    expect(offsetSuffix()).toBe('-03:30');
    expect(formatClock(t, 'zh-CN')).toBe('15:00:05');
    expect(formatDate(t, 'zh-CN')).toBe('2026/11/27');
  });

  it('a screen that boots before its server answers keeps asking, then takes what it says', async () => {
    const answers = [() => Promise.reject(new TypeError('fetch failed')), () => Promise.resolve(new Response('', { status: 503 }))];
    const calls: string[] = [];
    const fake = ((url: string) => {
      calls.push(url);
      const next = answers.shift();
      return next ? next() : Promise.resolve(Response.json(KATHMANDU));
    }) as typeof fetch;
    await expect(loadDeployment(fake, 1)).resolves.toEqual(KATHMANDU);
    expect(calls).toEqual(['/api/v1/deployment', '/api/v1/deployment', '/api/v1/deployment']);
    expect(deployment()).toEqual(KATHMANDU);
  });
});
