/**
 * A report filed on a component's scan page: it becomes two events, written through ingest like
 * every other producer's, so they are validated, logged and folded the same way: the scan of the
 * code (`smart_code.scanned`, purpose `report`) and the appeal (`appeal.created`, channel
 * `smart_code`, the component attached as `componentId`, placed where the component stands).
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { taxonomy, taxonomyLabel, type CityEvent } from '@commandhall/shared';
import type { RegisteredComponent } from './component-registry.ts';

/** What the scan page sends: a category, what is wrong, and a phone to call back if the reporter wishes. */
export const CodeReport = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 8, description: 'Top-level appeal category code of the taxonomy' }),
    description: Type.String({ minLength: 2, maxLength: 500, description: 'What is wrong' }),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,18}$', description: 'To be called back (personal data)' })),
  },
  { additionalProperties: false },
);
export type CodeReport = Static<typeof CodeReport>;

/** The channel of the taxonomy that smart-code reports arrive by. */
export const SMART_CODE_CHANNEL = 'smart_code';
/** The producer named in the log for what the scan page sends. */
export const SCAN_PAGE_PRODUCER = 'smart-code-page';

/** The events a report becomes; the appeal's id is new (`SC-<yyyymmdd>-<random>`). */
export function reportEvents(
  c: RegisteredComponent,
  report: CodeReport,
  now: number,
  where: { communityName: string; streetName: string; cellName: string },
): { scan: CityEvent; appeal: CityEvent; appealId: string } {
  const stamp = new Date(now).toISOString();
  const appealId = `SC-${stamp.slice(0, 10).replaceAll('-', '')}-${randomBytes(5).toString('hex')}`;
  const type = taxonomyLabel('componentType', c.type);
  const location = { lon: c.lon, lat: c.lat };
  const text = report.description.trim();
  const scan: CityEvent = {
    id: `${appealId}.scan`,
    type: 'smart_code.scanned',
    occurredAt: stamp,
    data: { scanId: `${appealId}.scan`, codeId: c.id, componentType: c.type, purpose: 'report', location, communityCode: c.community },
  };
  const appeal: CityEvent = {
    id: `${appealId}.created`,
    type: 'appeal.created',
    occurredAt: stamp,
    data: {
      appealId,
      channel: SMART_CODE_CHANNEL,
      nature: 'request',
      category: report.category,
      title: `${type}：${text.length > 40 ? `${text.slice(0, 40)}…` : text}`,
      description: text,
      // the component's place and name: where to go, never the reporter's own address
      location: { ...location, address: `${where.streetName}${where.communityName}${c.road ?? ''} ${type} ${c.id}` },
      communityCode: c.community,
      ...(report.phone ? { reporter: { phone: report.phone.replace(/[ -]/g, '') } } : {}),
      componentId: c.id,
    },
  };
  return { scan, appeal, appealId };
}

/** Whether a category code is a top-level category of the taxonomy. */
export const isTopCategory = (code: string): boolean => taxonomy.categories.some((c) => c.code === code);
