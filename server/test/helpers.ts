/** Test helpers: an app on a temporary data folder with a controllable clock, and event builders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CityEvent } from '@commandhall/shared';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';

/** A clock tests move by hand. Starts at 2026-11-27 10:00 in Shenzhen (02:00 UTC). */
export function testClock(start = Date.parse('2026-11-27T02:00:00Z')) {
  let t = start;
  const now = () => t;
  return { now, set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms) };
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'commandhall-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makeApp(opts: { dataDir: string; now?: () => number; env?: Record<string, string> }): Promise<FastifyInstance> {
  const config: Config = loadConfig({ SIMULATOR: 'off', LOG_LEVEL: 'silent', TICK_MS: '100', DATA_DIR: opts.dataDir, ...opts.env });
  return buildApp({ config, now: opts.now, logger: false });
}

// A point inside 六联社区 (坪山街道): its approximate centre.
export const LIULIAN = { code: '440310001001', lon: 114.325325, lat: 22.695235 };
export const KENGZI = { code: '440310005001', lon: 114.378589, lat: 22.749569 };

let n = 0;
export function appealCreated(at: number, over: Partial<{ appealId: string; id: string; where: { lon: number; lat: number }; category: string; channel: string; nature: string }> = {}): CityEvent {
  const appealId = over.appealId ?? `AP-${++n}`;
  return {
    id: over.id ?? `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: new Date(at).toISOString(),
    data: {
      appealId,
      channel: over.channel ?? 'hotline_12345',
      nature: over.nature ?? 'request',
      category: over.category ?? '5',
      title: '路灯不亮',
      location: { lon: (over.where ?? LIULIAN).lon, lat: (over.where ?? LIULIAN).lat },
      reporter: { name: '张三', phone: '13812341234' },
    },
  };
}

export function appealMoved(at: number, appealId: string, to: string, extra: Record<string, unknown> = {}): CityEvent {
  return { id: `${appealId}.${to}.${at}`, type: 'appeal.transitioned', occurredAt: new Date(at).toISOString(), data: { appealId, to, ...extra } } as CityEvent;
}

export function alertRaised(at: number, alertId: string, where = LIULIAN, algorithm = 'shop_outside'): CityEvent {
  return {
    id: `${alertId}.raised`,
    type: 'video_alert.raised',
    occurredAt: new Date(at).toISOString(),
    data: { alertId, cameraId: 'CAM-1', algorithm, confidence: 0.9, location: { lon: where.lon, lat: where.lat } },
  };
}

export async function post(app: FastifyInstance, events: unknown[]) {
  return app.inject({ method: 'POST', url: '/api/v1/events', payload: { events } });
}
