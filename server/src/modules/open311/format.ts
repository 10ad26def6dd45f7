/**
 * The two wire formats of Open311 GeoReport v2. JSON is the Spark-convention mapping of the XML:
 * a list element (`<services>`) becomes a JSON array of its children (`<service>`), so one value
 * serialises to both once the XML names of the list items are known.
 */

export type Format = 'json' | 'xml';
export const FORMATS: readonly Format[] = ['json', 'xml'];

export const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** XML element name of the items of each list, by the list's own name (Spark convention). */
export const LIST_ITEMS: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

// characters XML 1.0 cannot carry at all, even escaped
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

function element(name: string, value: Value, indent: string, out: string[]): void {
  if (value === undefined) return;
  if (value === null || value === '') {
    out.push(`${indent}<${name}/>`);
  } else if (Array.isArray(value)) {
    const item = LIST_ITEMS[name];
    if (!item) throw new Error(`no XML item name for the list "${name}"`);
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value) element(item, v, indent + '  ', out);
    out.push(`${indent}</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`${indent}<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, indent + '  ', out);
    out.push(`${indent}</${name}>`);
  } else {
    out.push(`${indent}<${name}>${escapeXml(String(value))}</${name}>`);
  }
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A whole XML document: the declaration, then `root` holding `value`. */
export function toXml(root: string, value: Value): string {
  const out = [XML_DECLARATION];
  element(root, value, '', out);
  return out.join('\n') + '\n';
}

/** One element (no declaration), for documents written piece by piece. */
export function xmlElement(name: string, value: Value, indent = ''): string {
  const out: string[] = [];
  element(name, value, indent, out);
  return out.join('\n');
}

export function serialise(format: Format, root: string, value: Value): string {
  return format === 'json' ? JSON.stringify(value) : toXml(root, value);
}

/** One Open311 error: `code` is the HTTP status unless a more specific code helps the client. */
export interface Open311Error {
  code: number;
  description: string;
}

/** The spec's error document: an array of errors, `<errors><error>…` in XML. */
export function errorDocument(format: Format, errors: Open311Error[]): string {
  return serialise(format, 'errors', errors as unknown as Value);
}

/** Splits `name.format`, e.g. `5-01.json` → `['5-01', 'json']`; null when the format is not one we serve. */
export function splitFormat(file: string): [string, Format] | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const format = file.slice(dot + 1).toLowerCase();
  return format === 'json' || format === 'xml' ? [file.slice(0, dot), format] : null;
}
