/**
 * Events for the browser tests, sent through the public ingest API like any producer's: a few
 * appeals in every community (more in some, so that the map has something to colour) and a few
 * video alerts.
 */
import { taxonomy } from '../../../shared/src/taxonomy.ts';
import type { ScopeNode } from '../../../shared/src/scope.ts';

let serial = 0;
const runId = Math.random().toString(36).slice(2, 8);

export interface Community {
  code: string;
  name: string;
  center: [number, number];
}

/** Every community of the deployment (a district's, or a whole city's), in tree order. */
export async function communities(base: string): Promise<Community[]> {
  const tree = (await (await fetch(`${base}/api/v1/scopes`)).json()) as ScopeNode;
  const leaves = (n: ScopeNode): ScopeNode[] => (n.level === 'community' ? [n] : n.children.flatMap(leaves));
  return leaves(tree).map((c) => ({ code: c.code, name: c.name, center: c.center }));
}

export function appealEvent(c: Community, i = serial++, category = taxonomy.categories[i % 6].code) {
  const id = `BT-${runId}-${i}`;
  return {
    id: `${id}.created`,
    type: 'appeal.created',
    occurredAt: new Date(Date.now() - 5_000).toISOString(),
    data: {
      appealId: id,
      channel: taxonomy.channels[i % 4].code,
      nature: 'request',
      category,
      title: `浏览器测试诉求 ${i}`,
      location: { lon: c.center[0] + ((i % 3) - 1) * 0.0005, lat: c.center[1] + ((i % 2) - 0.5) * 0.0005 },
      communityCode: c.code,
    },
  };
}

export function alertEvent(c: Community, i = serial++) {
  const id = `BTA-${runId}-${i}`;
  return {
    id: `${id}.raised`,
    type: 'video_alert.raised',
    occurredAt: new Date(Date.now() - 5_000).toISOString(),
    data: {
      alertId: id,
      cameraId: `CAM-${c.code}-1`,
      algorithm: taxonomy.algorithms[i % taxonomy.algorithms.length].code,
      confidence: 0.9,
      location: { lon: c.center[0] + 0.0004, lat: c.center[1] - 0.0004 },
      communityCode: c.code,
    },
  };
}

export async function ingest(
  base: string,
  events: unknown[],
): Promise<{ accepted: number; rejected: number; results: { status: string; reason?: string }[] }> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    // the demo deployment's documented producer key (docs/accounts.md)
    headers: { 'content-type': 'application/json', 'x-api-key': 'demo-producer-key' },
    body: JSON.stringify({ events }),
  });
  const body = (await res.json()) as { accepted: number; rejected: number; results: { status: string; reason?: string }[] };
  if (!res.ok || body.rejected > 0) throw new Error(`ingest failed (${res.status}): ${JSON.stringify(body).slice(0, 800)}`);
  return body;
}

/** Community i gets (i mod 6) + 1 appeals, so open counts differ from place to place. */
export async function seedDistrict(base: string): Promise<Community[]> {
  const list = await communities(base);
  const events: unknown[] = [];
  list.forEach((c, i) => {
    for (let k = 0; k < (i % 6) + 1; k++) events.push(appealEvent(c));
    if (i % 4 === 0) events.push(alertEvent(c));
  });
  await ingest(base, events);
  return list;
}

export async function metricsOf(base: string, scope: string): Promise<Record<string, any>> {
  const res = await fetch(`${base}/api/v1/metrics/${scope}`);
  if (!res.ok) throw new Error(`GET metrics ${scope}: ${res.status}`);
  return ((await res.json()) as { metrics: Record<string, any> }).metrics;
}
