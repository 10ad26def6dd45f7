/**
 * A hall's own themes: a district or street director keeps its hall's copy of a common theme and its
 * hall's rotation; the common themes, which every hall of their levels shows, stay the
 * administrators'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { overview, type Theme } from '@commandhall/shared/themes';
import { makeApp, tempDir, testClock } from '../helpers.ts';
import { STREET, getAs, person, type Who } from '../appeals/fixtures.ts';
import { send } from './send.ts';

describe("a hall's own themes", () => {
  let app: FastifyInstance;
  const tmp = tempDir();
  const clock = testClock();
  const who: Record<string, Who> = {};

  beforeAll(async () => {
    app = await makeApp({ dataDir: tmp.dir, now: clock.now });
    who.street = await person(app, 'dir-street', 'street_director', STREET);
  });
  afterAll(async () => {
    await app?.close();
    tmp.remove();
  });

  it("lets a district or street director keep its own hall's themes and rotation, never the common themes or another hall's", async () => {
    const district = await person(app, 'dir-district', 'district_director', 'district:440310');
    // the director's own copy of the common overview, for the district hall alone
    const mine: Theme = {
      ...structuredClone(overview),
      id: 'overview-440310',
      name: '坪山区综合态势',
      levels: ['district'],
      owner: 'district:440310',
    };
    const saved = await send(app, district, 'PUT', '/api/v1/themes/overview-440310', mine);
    expect(saved.statusCode, saved.body).toBe(201);
    expect((await send(app, district, 'PUT', '/api/v1/themes/overview-440310', { ...mine, name: '坪山区态势' })).statusCode).toBe(200);
    // the common theme every street and district hall shows is the administrators'
    expect((await send(app, district, 'PUT', '/api/v1/themes/overview', overview)).statusCode).toBe(403);
    // a street director keeps its street's themes, not the district's
    expect((await send(app, who.street, 'PUT', '/api/v1/themes/overview-440310', mine)).statusCode).toBe(403);
    const street: Theme = { ...mine, id: 'overview-440310001', levels: ['street'], owner: STREET };
    expect((await send(app, who.street, 'PUT', '/api/v1/themes/overview-440310001', street)).statusCode).toBe(201);
    expect(
      (
        await send(app, who.street, 'PUT', '/api/v1/themes/overview-440310002', {
          ...street,
          id: 'overview-440310002',
          owner: 'street:440310002',
        })
      ).statusCode,
    ).toBe(403);

    // the district hall lists its own copy as editable, and shows it in place of the common one
    const listed = (await getAs(app, district, '/api/v1/themes?hall=district:440310')).json().themes as {
      theme: Theme;
      editable: boolean;
    }[];
    expect(listed.find((v) => v.theme.id === 'overview-440310')?.editable).toBe(true);
    expect(listed.find((v) => v.theme.id === 'overview')?.editable).toBe(false);
    expect(listed.map((v) => v.theme.id)).not.toContain('overview-440310001');
    const rotation = (await getAs(app, district, '/api/v1/halls/district:440310/playlist')).json();
    expect(rotation.entries[0].themeId).toBe('overview-440310');
    expect(rotation.editable).toBe(true);
    const entries = [
      { themeId: 'overview-440310', seconds: 90 },
      { themeId: 'appeals', seconds: 60 },
    ];
    expect((await send(app, district, 'PUT', '/api/v1/halls/district:440310/playlist', { entries })).statusCode).toBe(200);
    expect((await send(app, district, 'PUT', `/api/v1/halls/${STREET}/playlist`, { entries })).statusCode).toBe(403);
  });
});
