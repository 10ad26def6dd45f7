/**
 * Dispatch rules (派遣指引): the unit responsible for an appeal, by category and optionally
 * subcategory or nature, at district, street or community level. Data in
 * `shared/data/dispatch-rules.json`, validated on load; verifying an appeal suggests the unit.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import data from '../data/dispatch-rules.json' with { type: 'json' };
import { isKnown, isSubcategoryOf, taxonomy } from './taxonomy.ts';

export const DispatchRule = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    category: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
    nature: Type.Optional(Type.String()),
    level: Type.Enum(['district', 'street', 'community']),
    unit: Type.String({ minLength: 1 }),
    unitEn: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type DispatchRule = Static<typeof DispatchRule>;
const DispatchRules = Type.Object({
  version: Type.Literal(1),
  note: Type.Optional(Type.String()),
  rules: Type.Array(DispatchRule, { minItems: 1 }),
});

export interface DispatchSuggestion {
  ruleId: string;
  level: 'district' | 'street' | 'community';
  /** Full unit name, with the street or community name in front for local units. */
  unit: string;
  unitEn: string;
}

export interface DispatchRuleSet {
  rules: DispatchRule[];
  suggest(
    appeal: { category: string; subcategory?: string; nature: string },
    place: { street: string; community: string },
  ): DispatchSuggestion;
}

const weight = (r: DispatchRule) => (r.subcategory ? 4 : 0) + (r.category ? 2 : 0) + (r.nature ? 1 : 0);

export function dispatchRules(json: unknown): DispatchRuleSet {
  const check = Compile(DispatchRules);
  if (!check.Check(json))
    throw new Error(`invalid dispatch rules:\n  - ${[...check.Errors(json)].map((e) => `${e.instancePath} ${e.message}`).join('\n  - ')}`);
  const rules = (json as Static<typeof DispatchRules>).rules;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) problems.push(`rule "${r.id}" appears twice`);
    ids.add(r.id);
    if (r.category && !isKnown('category', r.category)) problems.push(`rule "${r.id}": unknown category "${r.category}"`);
    if (r.subcategory && !isKnown('subcategory', r.subcategory)) problems.push(`rule "${r.id}": unknown subcategory "${r.subcategory}"`);
    if (r.category && r.subcategory && !isSubcategoryOf(r.category, r.subcategory))
      problems.push(`rule "${r.id}": "${r.subcategory}" is not in category "${r.category}"`);
    if (r.nature && !isKnown('nature', r.nature)) problems.push(`rule "${r.id}": unknown nature "${r.nature}"`);
    if (!r.category && !r.subcategory && !r.nature) problems.push(`rule "${r.id}" matches nothing`);
  }
  // every category needs a unit: an appeal must never be left with nobody to send it to
  for (const c of taxonomy.categories) {
    if (!rules.some((r) => r.category === c.code && !r.subcategory && !r.nature))
      problems.push(`no rule for category "${c.code}" (${c.zh})`);
  }
  if (problems.length) throw new Error(`invalid dispatch rules:\n  - ${problems.join('\n  - ')}`);

  const sorted = [...rules].sort((a, b) => weight(b) - weight(a));
  return {
    rules,
    suggest(a, place) {
      const r = sorted.find(
        (r) =>
          (!r.subcategory || r.subcategory === a.subcategory) &&
          (!r.category || r.category === a.category) &&
          (!r.nature || r.nature === a.nature),
      )!;
      const prefix = r.level === 'street' ? place.street : r.level === 'community' ? place.community : '';
      return { ruleId: r.id, level: r.level, unit: prefix + r.unit, unitEn: r.unitEn };
    },
  };
}

export const defaultDispatchRules: DispatchRuleSet = dispatchRules(data);
