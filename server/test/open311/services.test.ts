import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { taxonomy } from '@commandhall/shared';
import { makeApp, tempDir, testClock } from '../helpers.ts';
import { ATTRIBUTE_FIELDS, SERVICE_FIELDS, parseXml, xmlText } from './helpers.ts';

describe('Open311 discovery, service list and service definitions', () => {
  let app: FastifyInstance;
  let tmp: ReturnType<typeof tempDir>;
  const get = (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    tmp = tempDir();
    app = await makeApp({ dataDir: tmp.dir, now: testClock().now });
  });
  afterAll(async () => {
    await app.close();
    tmp.remove();
  });

  it('serves discovery in JSON and XML with every required field', async () => {
    const json = await get('/open311/v2/discovery.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const d = json.json();
    expect(Object.keys(d)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
    expect(d.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: 'http://localhost:80/open311/v2',
        changeset: d.changeset,
        type: 'production', // demo mode is off in tests
        formats: ['text/xml', 'application/json'],
      },
    ]);
    const xml = await get('/open311/v2/discovery.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const doc = parseXml(xml.body);
    expect(doc.discovery.changeset).toBe(d.changeset);
    expect(doc.discovery.key_service).toBe(d.key_service);
    expect(doc.discovery.endpoints.endpoint[0]).toEqual({ ...d.endpoints[0], formats: { format: d.endpoints[0].formats } });
  });

  it('lists every category and subcategory of the taxonomy as a realtime service named in Chinese', async () => {
    const res = await get('/open311/v2/services.json');
    expect(res.statusCode).toBe(200);
    const services = res.json();
    const subs = taxonomy.categories.flatMap((c) => c.subcategories);
    expect(services).toHaveLength(taxonomy.categories.length + subs.length);
    for (const s of services) expect(Object.keys(s)).toEqual(SERVICE_FIELDS);
    const garbage = services.find((s: any) => s.service_code === '5-02');
    expect(garbage).toEqual({
      service_code: '5-02',
      service_name: '垃圾问题',
      description: expect.stringContaining('市容环卫'),
      metadata: true,
      type: 'realtime',
      keywords: expect.any(String),
      group: '市容环卫',
    });
    const top = services.find((s: any) => s.service_code === '5');
    expect(top).toMatchObject({ service_name: '市容环卫', group: '市容环卫', type: 'realtime' });

    const xml = parseXml((await get('/open311/v2/services.xml')).body);
    const items = xml.services.service;
    expect(items).toHaveLength(services.length);
    services.forEach((s: any, i: number) => {
      expect(Object.keys(items[i])).toEqual(SERVICE_FIELDS);
      for (const f of SERVICE_FIELDS) expect(items[i][f]).toBe(xmlText(s[f]));
    });
  });

  it('defines each service: the nature attribute, plus the subcategory list for a top-level category', async () => {
    const top = (await get('/open311/v2/services/5.json')).json();
    expect(top.service_code).toBe('5');
    expect(top.attributes.map((a: any) => [a.code, a.order, a.required, a.datatype])).toEqual([
      ['nature', 1, false, 'singlevaluelist'],
      ['subcategory', 2, false, 'singlevaluelist'],
    ]);
    for (const a of top.attributes) expect(Object.keys(a)).toEqual(ATTRIBUTE_FIELDS);
    expect(top.attributes[0].values).toContainEqual({ key: 'complaint', name: '投诉' });
    expect(top.attributes[1].values).toContainEqual({ key: '5-02', name: '垃圾问题' });
    const sub = (await get('/open311/v2/services/5-02.json')).json();
    expect(sub.attributes.map((a: any) => a.code)).toEqual(['nature']);

    const xml = parseXml((await get('/open311/v2/services/5.xml')).body);
    const def = xml.service_definition;
    expect(def.service_code).toBe('5');
    const attrs = def.attributes.attribute;
    expect(attrs).toHaveLength(2);
    expect(attrs[1]).toMatchObject({ variable: 'true', code: 'subcategory', datatype: 'singlevaluelist', required: 'false', order: '2' });
    expect(attrs[0].datatype_description).toBe(xmlText(top.attributes[0].datatype_description));
    expect(attrs[1].datatype_description).toBe(''); // null → empty element
    expect(attrs[1].values.value).toEqual(top.attributes[1].values);
  });

  it('answers unknown services, formats and paths with the spec error format and 404', async () => {
    const json = await get('/open311/v2/services/999.json');
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: expect.stringMatching(/service_code "999" was not found/) }]);
    const xml = await get('/open311/v2/services/999.xml');
    expect(xml.statusCode).toBe(404);
    expect(parseXml(xml.body)).toEqual({ errors: { error: [{ code: '404', description: expect.stringMatching(/not found/) }] } });
    expect((await get('/open311/v2/services/5.csv')).statusCode).toBe(404);
    const nowhere = await get('/open311/v2/nothing.xml');
    expect(nowhere.statusCode).toBe(404);
    expect(parseXml(nowhere.body).errors.error[0].code).toBe('404');
    expect((await get('/open311/v2/services.csv')).json()[0].code).toBe(404);
  });

  it('accepts its own jurisdiction_id and refuses another one', async () => {
    expect((await get('/open311/v2/services.json?jurisdiction_id=440310')).statusCode).toBe(200);
    expect((await get('/open311/v2/services.json?jurisdiction_id=')).statusCode).toBe(200);
    const other = await get('/open311/v2/services.json?jurisdiction_id=sfgov.org');
    expect(other.statusCode).toBe(404);
    expect(other.json()[0].description).toMatch(/jurisdiction_id "sfgov.org" was not found/);
  });
});
