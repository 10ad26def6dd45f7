/**
 * The appeal taxonomy as data: natures (问题性质), channels (问题来源), the 18 top-level appeal
 * types (问题类型) with their second-level categories (大类), the video AI algorithms and the city
 * component types that carry smart codes. Every entry has a stable code, a Chinese name and an
 * English gloss. The data lives in `shared/data/taxonomy.json`; this module checks it when it is
 * loaded (schema, then meaning) and precomputes the lookups ingest and the interface use.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import data from '../data/taxonomy.json' with { type: 'json' };

/** One coded entry: a stable code plus its Chinese name and English gloss. */
export interface TaxonomyEntry {
  code: string;
  zh: string;
  en: string;
}

/** A top-level appeal type (问题类型) and its second-level categories (大类). */
export interface Category extends TaxonomyEntry {
  subcategories: TaxonomyEntry[];
}

/** A video AI detection algorithm and the appeal category/subcategory a confirmed alert becomes. */
export interface Algorithm extends TaxonomyEntry {
  category: string;
  subcategory: string;
}

/** The whole taxonomy, as stored in `shared/data/taxonomy.json`. */
export interface Taxonomy {
  version: number;
  natures: TaxonomyEntry[];
  channels: TaxonomyEntry[];
  categories: Category[];
  algorithms: Algorithm[];
  componentTypes: TaxonomyEntry[];
}

/** Which list of the taxonomy a code belongs to. */
export type TaxonomyKind = 'nature' | 'channel' | 'category' | 'subcategory' | 'algorithm' | 'componentType';

const SLUG = '^[a-z][a-z0-9_]*$';
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 100, description });

const Entry = (codePattern: string, codeDescription: string) =>
  Type.Object(
    {
      code: Type.String({ minLength: 1, maxLength: 64, pattern: codePattern, description: codeDescription }),
      zh: Name('Chinese name'),
      en: Name('English gloss'),
    },
    { additionalProperties: false },
  );

const SubcategorySchema = Entry('^[0-9]+-[0-9]{2}$', 'Second-level code: "<top-level code>-<2 digits>", e.g. "5-01"');

const CategorySchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9]+$', description: 'Top-level code: the dataset id as a string' }),
    zh: Name('Chinese name'),
    en: Name('English gloss'),
    subcategories: Type.Array(SubcategorySchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

const AlgorithmSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, pattern: SLUG, description: 'Algorithm code' }),
    zh: Name('Chinese name'),
    en: Name('English gloss'),
    category: Type.String({ minLength: 1, description: 'Top-level category a confirmed alert becomes' }),
    subcategory: Type.String({ minLength: 1, description: 'Subcategory (of that category) a confirmed alert becomes' }),
  },
  { additionalProperties: false },
);

/** TypeBox schema of `shared/data/taxonomy.json` (structure only; {@link validateTaxonomy} also checks meaning). */
export const TaxonomySchema = Type.Object(
  {
    version: Type.Literal(1),
    natures: Type.Array(Entry(SLUG, 'Nature code'), { minItems: 1 }),
    channels: Type.Array(Entry(SLUG, 'Channel code'), { minItems: 1 }),
    categories: Type.Array(CategorySchema, { minItems: 1 }),
    algorithms: Type.Array(AlgorithmSchema),
    componentTypes: Type.Array(Entry(SLUG, 'Component type code')),
  },
  { additionalProperties: false },
);

// The schema and the hand-written interfaces must describe the same thing.
const _schemaMatchesInterface: Taxonomy = null as unknown as Static<typeof TaxonomySchema>;
void _schemaMatchesInterface;

const checker = Compile(TaxonomySchema);

function schemaProblems(json: unknown): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const e of checker.Errors(json)) {
    if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue; // restated by a clearer error
    let msg = e.message;
    if (e.keyword === 'required') {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      msg = `is missing required field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`;
    } else if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      msg = `has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((x) => `"${x}"`).join(', ')}`;
    }
    const line = `${e.instancePath || '(root)'} ${msg}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  return lines;
}

type Loose = Record<string, unknown>;
const list = (v: unknown): Loose[] => (Array.isArray(v) ? v.filter((x): x is Loose => typeof x === 'object' && x !== null) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Meaning checks that a schema cannot express; tolerant of malformed input so every problem is listed. */
function crossProblems(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return [];
  const root = json as Loose;
  const out: string[] = [];

  const unique = (items: Loose[], path: string, kind: string, field: 'code' | 'zh') => {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const v = str(item[field]);
      if (v === undefined) return;
      const at = first.get(v);
      if (at === undefined) first.set(v, i);
      else out.push(`duplicate ${kind} ${field === 'code' ? 'code' : 'name'} "${v}" at ${path}/${at} and ${path}/${i}`);
    });
  };

  const lists: [key: string, kind: string][] = [
    ['natures', 'nature'],
    ['channels', 'channel'],
    ['categories', 'category'],
    ['algorithms', 'algorithm'],
    ['componentTypes', 'component type'],
  ];
  for (const [key, kind] of lists) {
    unique(list(root[key]), `/${key}`, kind, 'code');
    unique(list(root[key]), `/${key}`, kind, 'zh');
  }

  const categories = list(root.categories);
  const categoryCodes = new Set(categories.map((c) => str(c.code)).filter((c) => c !== undefined));
  const subOwner = new Map<string, { category: string | undefined; path: string }>();
  categories.forEach((cat, ci) => {
    const catCode = str(cat.code);
    const subs = list(cat.subcategories);
    unique(subs, `/categories/${ci}/subcategories`, 'subcategory', 'zh');
    subs.forEach((sub, si) => {
      const code = str(sub.code);
      if (code === undefined) return;
      const path = `/categories/${ci}/subcategories/${si}`;
      const prior = subOwner.get(code);
      if (prior) out.push(`duplicate subcategory code "${code}" at ${prior.path} and ${path}`);
      else subOwner.set(code, { category: catCode, path });
      if (catCode !== undefined && !code.startsWith(`${catCode}-`)) {
        out.push(`${path}/code "${code}" should start with "${catCode}-", the code of its category`);
      }
    });
  });

  list(root.algorithms).forEach((alg, ai) => {
    const category = str(alg.category);
    const subcategory = str(alg.subcategory);
    const path = `/algorithms/${ai}`;
    if (category !== undefined && !categoryCodes.has(category)) {
      out.push(`${path}/category "${category}" is not a known category code`);
      return;
    }
    if (subcategory === undefined || category === undefined) return;
    const owner = subOwner.get(subcategory);
    if (!owner) out.push(`${path}/subcategory "${subcategory}" is not a known subcategory code`);
    else if (owner.category !== category)
      out.push(`${path}/subcategory "${subcategory}" belongs to category "${owner.category}", not "${category}"`);
  });
  return out;
}

/**
 * Checks a parsed taxonomy file: its structure against {@link TaxonomySchema}, then its meaning
 * (unique codes and names in each list, subcategory codes prefixed by their category's code,
 * algorithms pointing at an existing category and one of its subcategories).
 *
 * @returns the same value, typed, when it is valid.
 * @throws Error whose message lists every problem found, one per line, each with its JSON path.
 */
export function validateTaxonomy(json: unknown): Taxonomy {
  const problems = [...schemaProblems(json), ...crossProblems(json)];
  if (problems.length > 0) {
    throw new Error(
      `Invalid taxonomy (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return json as Taxonomy;
}

/** The default taxonomy (Pingshan District), checked when this module is loaded. */
export const taxonomy: Taxonomy = validateTaxonomy(data);

const byKind: Record<TaxonomyKind, Map<string, TaxonomyEntry>> = {
  nature: new Map(taxonomy.natures.map((e) => [e.code, e])),
  channel: new Map(taxonomy.channels.map((e) => [e.code, e])),
  category: new Map(taxonomy.categories.map((e) => [e.code, e])),
  subcategory: new Map(taxonomy.categories.flatMap((c) => c.subcategories.map((s) => [s.code, s] as const))),
  algorithm: new Map(taxonomy.algorithms.map((e) => [e.code, e])),
  componentType: new Map(taxonomy.componentTypes.map((e) => [e.code, e])),
};
const categoryOfSub = new Map(taxonomy.categories.flatMap((c) => c.subcategories.map((s) => [s.code, c.code] as const)));

/** Whether `code` is a known code of the given kind in the default taxonomy (constant time). */
export function isKnown(kind: TaxonomyKind, code: string): boolean {
  return byKind[kind]?.has(code) ?? false;
}

/** Whether `subcategory` is a subcategory of the top-level `category` in the default taxonomy. */
export function isSubcategoryOf(category: string, subcategory: string): boolean {
  return categoryOfSub.get(subcategory) === category;
}

/**
 * The display name of a code in the default taxonomy.
 *
 * @param lang `'zh'` (default) for the Chinese name, `'en'` for the English gloss.
 * @returns the name, or the code itself when the code is unknown.
 */
export function taxonomyLabel(kind: TaxonomyKind, code: string, lang: 'zh' | 'en' = 'zh'): string {
  return byKind[kind]?.get(code)?.[lang] ?? code;
}
