/** Open311 test helpers: XML parsed back with an independent parser, and the spec's field lists. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** Elements that are list items in the spec's XML (Spark convention). */
const ITEMS = new Set(['service', 'attribute', 'value', 'request', 'error', 'endpoint', 'format']);
const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: false, isArray: (name) => ITEMS.has(name) });

/** Checks the declaration and well-formedness, and returns the parsed document. */
export function parseXml(xml: string): Record<string, any> {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  delete doc['?xml'];
  return doc;
}

/** XML text of a JSON value as the spec's mapping writes it: null and '' become an empty element. */
export const xmlText = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** Field names, in the spec's order. */
export const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'];
export const ATTRIBUTE_FIELDS = ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values'];
export const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
];
export const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

/** Every JSON request equals its XML twin, field by field. */
export function sameRequests(json: any[], xml: Record<string, any>) {
  const items = xml.service_requests === '' ? [] : xml.service_requests.request;
  expect(items).toHaveLength(json.length);
  json.forEach((j, i) => {
    for (const [k, v] of Object.entries(j)) expect(items[i][k], k).toBe(xmlText(v));
    expect(Object.keys(items[i])).toEqual(Object.keys(j));
  });
}
