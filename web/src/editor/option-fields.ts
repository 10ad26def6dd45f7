/**
 * Simple form fields for a widget type's plain options (text, numbers, yes/no, one of a list),
 * read from the option schema of the widget catalog; lists and objects (KPI items, map layers)
 * are edited in the JSON text.
 */
import { WIDGET_KINDS, type WidgetType } from '@commandhall/shared/themes';

export type OptionField =
  | { key: string; kind: 'text' | 'textarea'; required: boolean; maxLength?: number }
  | { key: string; kind: 'number'; required: boolean; min?: number; max?: number; integer: boolean }
  | { key: string; kind: 'boolean'; required: boolean }
  | { key: string; kind: 'choice'; required: boolean; choices: string[] };

interface PropSchema {
  type?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: { const?: unknown }[];
}

/** Longer strings than this get a text area. */
const LONG_TEXT = 200;

export function optionFields(type: WidgetType): OptionField[] {
  const schema = WIDGET_KINDS[type].options as unknown as { properties?: Record<string, PropSchema>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const out: OptionField[] = [];
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    const req = required.has(key);
    if (p.type === 'string')
      out.push({ key, kind: (p.maxLength ?? Infinity) > LONG_TEXT ? 'textarea' : 'text', required: req, maxLength: p.maxLength });
    else if (p.type === 'integer' || p.type === 'number')
      out.push({ key, kind: 'number', required: req, min: p.minimum, max: p.maximum, integer: p.type === 'integer' });
    else if (p.type === 'boolean') out.push({ key, kind: 'boolean', required: req });
    else if (p.anyOf?.length && p.anyOf.every((a) => typeof a.const === 'string'))
      out.push({ key, kind: 'choice', required: req, choices: p.anyOf.map((a) => a.const as string) });
  }
  return out;
}

/**
 * Options with one field set from what its form control holds ('' clears an optional field;
 * numbers and yes/no are converted). Returns undefined when nothing is left.
 */
export function withOption(
  options: Record<string, unknown> | undefined,
  field: OptionField,
  raw: string,
): Record<string, unknown> | undefined {
  const next: Record<string, unknown> = { ...(options ?? {}) };
  if (raw === '' && !(field.required && (field.kind === 'text' || field.kind === 'textarea'))) delete next[field.key];
  else if (field.kind === 'number') next[field.key] = Number(raw);
  else if (field.kind === 'boolean') next[field.key] = raw === 'true';
  else next[field.key] = raw;
  return Object.keys(next).length ? next : undefined;
}

/** What a form control shows for an option's value. */
export function optionText(options: Record<string, unknown> | undefined, key: string): string {
  const v = options?.[key];
  return v === undefined || v === null ? '' : String(v);
}
