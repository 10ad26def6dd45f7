/**
 * Checks one incoming event: its shape against the event's TypeBox schema, then its meaning
 * (known taxonomy codes, a time that is not in the future, a place inside the district).
 * Returns a reason a person can act on, never a stack of schema jargon.
 */
import { Compile } from 'typebox/compile';
import { EVENT_SCHEMAS, EVENT_TYPES, isKnown, isSubcategoryOf, type CityEvent, type EventType } from '@commandhall/shared';
import type { Geography } from '../geography/index.ts';

const validators = Object.fromEntries(EVENT_TYPES.map((t) => [t, Compile(EVENT_SCHEMAS[t])])) as Record<
  EventType,
  ReturnType<typeof Compile>
>;

/** Clock skew tolerated between a producer and the server. */
export const MAX_FUTURE_MS = 5 * 60_000;

export type Checked = { ok: true; event: CityEvent; community: string | null } | { ok: false; reason: string };

function describeErrors(type: EventType, value: unknown): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of validators[type].Errors(value)) {
    // anyOf/boolean noise adds nothing for a person reading it
    if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
    let msg = e.message;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
      msg = `has unknown field${extra && extra.length > 1 ? 's' : ''} ${extra?.map((x) => `"${x}"`).join(', ') ?? ''}`;
    } else if (e.keyword === 'required') {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties;
      msg = `is missing required field${missing && missing.length > 1 ? 's' : ''} ${missing?.map((x) => `"${x}"`).join(', ') ?? ''}`;
    }
    const line = `${e.instancePath || '(event)'} ${msg}`;
    if (!seen.has(line)) {
      lines.push(line);
      seen.add(line);
    }
    if (lines.length === 3) break;
  }
  return lines.join('; ') || 'does not match the event schema';
}

export function checkEvent(raw: unknown, geo: Geography, now: number): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'an event must be a JSON object' };
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as string[]).includes(type)) {
    return { ok: false, reason: `unknown event type ${JSON.stringify(type ?? null)}; expected one of ${EVENT_TYPES.join(', ')}` };
  }
  if (!validators[type as EventType].Check(raw)) return { ok: false, reason: describeErrors(type as EventType, raw) };
  const event = raw as CityEvent;
  const at = Date.parse(event.occurredAt);
  if (at > now + MAX_FUTURE_MS) return { ok: false, reason: `occurredAt ${event.occurredAt} is in the future` };

  const d = event.data as Record<string, unknown>;
  const codeChecks: [string, Parameters<typeof isKnown>[0]][] = [
    ['channel', 'channel'],
    ['nature', 'nature'],
    ['category', 'category'],
    ['algorithm', 'algorithm'],
    ['componentType', 'componentType'],
  ];
  for (const [field, kind] of codeChecks) {
    if (typeof d[field] === 'string' && !isKnown(kind, d[field] as string))
      return { ok: false, reason: `/data/${field} "${d[field]}" is not a known ${kind} code` };
  }
  if (typeof d.subcategory === 'string' && !isSubcategoryOf(d.category as string, d.subcategory)) {
    return { ok: false, reason: `/data/subcategory "${d.subcategory}" is not a subcategory of category "${d.category}"` };
  }

  const location = d.location as { lon: number; lat: number } | undefined;
  if (!location) return { ok: true, event, community: null };
  const given = d.communityCode as string | undefined;
  if (given) {
    const area = geo.area(given);
    if (!area || area.level !== 'community')
      return { ok: false, reason: `/data/communityCode "${given}" is not a community of district ${geo.district.code}` };
    return { ok: true, event, community: given };
  }
  const community = geo.locate(location.lon, location.lat);
  if (!community)
    return {
      ok: false,
      reason: `/data/location (${location.lon}, ${location.lat}) is outside every community of district ${geo.district.code}`,
    };
  return { ok: true, event, community };
}
