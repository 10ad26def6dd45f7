/**
 * The Open311 service catalogue, read from the appeal taxonomy: every top-level category (问题类型)
 * and every second-level category (大类) is a service. Names are Chinese, the English gloss goes in
 * the description. Each service has attributes: the nature (问题性质, default 求决) and, for a
 * top-level category, its subcategory; all optional, so a bare request is always valid.
 */
import { taxonomy, type TaxonomyEntry } from '@commandhall/shared';

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311AttributeValue {
  key: string;
  name: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'singlevaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values: Open311AttributeValue[];
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

/** What a service code stands for in the taxonomy. */
export interface ServiceTarget {
  category: string;
  subcategory?: string;
  /** Chinese name of the service (the category or subcategory). */
  name: string;
}

export const DEFAULT_NATURE = 'request';
export const ATTR_NATURE = 'nature';
export const ATTR_SUBCATEGORY = 'subcategory';

const label = (e: TaxonomyEntry) => `${e.zh}（${e.en}）`;

const services: Open311Service[] = [];
const targets = new Map<string, ServiceTarget>();
const definitions = new Map<string, Open311ServiceDefinition>();

const natureAttribute: Open311Attribute = {
  variable: true,
  code: ATTR_NATURE,
  datatype: 'singlevaluelist',
  required: false,
  datatype_description: `默认 ${taxonomy.natures.find((n) => n.code === DEFAULT_NATURE)?.zh ?? DEFAULT_NATURE}（default: ${DEFAULT_NATURE}）`,
  order: 1,
  description: '问题性质（nature of the appeal: request, complaint, enquiry…）',
  values: taxonomy.natures.map((n) => ({ key: n.code, name: n.zh })),
};

for (const c of taxonomy.categories) {
  services.push({
    service_code: c.code,
    service_name: c.zh,
    description: `${label(c)}：${c.subcategories.map((s) => s.zh).join('、')}`,
    metadata: true,
    type: 'realtime',
    keywords: [c.en, ...c.subcategories.map((s) => s.zh)].join(','),
    group: c.zh,
  });
  targets.set(c.code, { category: c.code, name: c.zh });
  definitions.set(c.code, {
    service_code: c.code,
    attributes: [
      natureAttribute,
      {
        variable: true,
        code: ATTR_SUBCATEGORY,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: null,
        order: 2,
        description: '大类（subcategory; or use its own service code）',
        values: c.subcategories.map((s) => ({ key: s.code, name: s.zh })),
      },
    ],
  });
  for (const s of c.subcategories) {
    services.push({
      service_code: s.code,
      service_name: s.zh,
      description: `${label(s)}，属于 ${label(c)}`,
      metadata: true,
      type: 'realtime',
      keywords: [s.en, c.zh].join(','),
      group: c.zh,
    });
    targets.set(s.code, { category: c.code, subcategory: s.code, name: s.zh });
    definitions.set(s.code, { service_code: s.code, attributes: [natureAttribute] });
  }
}

/** Every service, categories first and each followed by its subcategories. */
export function serviceList(): readonly Open311Service[] {
  return services;
}

export function serviceDefinition(code: string): Open311ServiceDefinition | undefined {
  return definitions.get(code);
}

export function serviceTarget(code: string): ServiceTarget | undefined {
  return targets.get(code);
}

/** The service code an appeal is listed under: its subcategory when it has one, else its category. */
export function serviceCodeOf(a: { category: string; subcategory?: string | null }): string {
  return a.subcategory && targets.has(a.subcategory) ? a.subcategory : a.category;
}
