/**
 * Deadline rules: how long an appeal may take, by category, subcategory and nature, in hours or in
 * working days. Data in `shared/data/deadline-rules.json`, validated on load: unknown codes, a rule
 * with both or neither duration, and duplicate ids are refused.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import data from '../data/deadline-rules.json' with { type: 'json' };
import { isKnown, isSubcategoryOf } from './taxonomy.ts';
import { defaultWorkCalendar, type WorkCalendar } from './work-calendar.ts';

export const DeadlineRule = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    category: Type.Optional(Type.String()),
    subcategory: Type.Optional(Type.String()),
    nature: Type.Optional(Type.String()),
    hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 90 })),
    workingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    label: Type.String(),
  },
  { additionalProperties: false },
);
export type DeadlineRule = Static<typeof DeadlineRule>;
const DeadlineRules = Type.Object({
  version: Type.Literal(1),
  note: Type.Optional(Type.String()),
  rules: Type.Array(DeadlineRule, { minItems: 1 }),
});

export interface DeadlineInput {
  category: string;
  subcategory?: string;
  nature: string;
}

export interface DeadlineRuleSet {
  rules: DeadlineRule[];
  /** The most specific rule for an appeal. */
  ruleFor(appeal: DeadlineInput): DeadlineRule;
  /** The deadline (UTC ms) of an appeal collected at `createdAt`. */
  deadline(createdAt: number, appeal: DeadlineInput): number;
}

/** Specificity: a subcategory counts most, then a category, then a nature. */
const weight = (r: DeadlineRule) => (r.subcategory ? 4 : 0) + (r.category ? 2 : 0) + (r.nature ? 1 : 0);

export function deadlineRules(json: unknown, calendar: WorkCalendar = defaultWorkCalendar): DeadlineRuleSet {
  const check = Compile(DeadlineRules);
  if (!check.Check(json))
    throw new Error(`invalid deadline rules:\n  - ${[...check.Errors(json)].map((e) => `${e.instancePath} ${e.message}`).join('\n  - ')}`);
  const rules = (json as Static<typeof DeadlineRules>).rules;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) problems.push(`rule "${r.id}" appears twice`);
    ids.add(r.id);
    if ((r.hours === undefined) === (r.workingDays === undefined))
      problems.push(`rule "${r.id}" needs exactly one of hours or workingDays`);
    if (r.category && !isKnown('category', r.category)) problems.push(`rule "${r.id}": unknown category "${r.category}"`);
    if (r.subcategory && !isKnown('subcategory', r.subcategory)) problems.push(`rule "${r.id}": unknown subcategory "${r.subcategory}"`);
    if (r.category && r.subcategory && !isSubcategoryOf(r.category, r.subcategory))
      problems.push(`rule "${r.id}": "${r.subcategory}" is not in category "${r.category}"`);
    if (r.nature && !isKnown('nature', r.nature)) problems.push(`rule "${r.id}": unknown nature "${r.nature}"`);
    if (!r.category && !r.subcategory && !r.nature) problems.push(`rule "${r.id}" matches nothing: give a category, subcategory or nature`);
  }
  for (const nature of ['request', 'complaint', 'enquiry', 'suggestion', 'thanks', 'other']) {
    if (!rules.some((r) => r.nature === nature && !r.category && !r.subcategory)) problems.push(`no fallback rule for nature "${nature}"`);
  }
  if (problems.length) throw new Error(`invalid deadline rules:\n  - ${problems.join('\n  - ')}`);

  const sorted = [...rules].sort((a, b) => weight(b) - weight(a));
  const ruleFor = (a: DeadlineInput): DeadlineRule =>
    sorted.find(
      (r) =>
        (!r.subcategory || r.subcategory === a.subcategory) &&
        (!r.category || r.category === a.category) &&
        (!r.nature || r.nature === a.nature),
    )!;
  return {
    rules,
    ruleFor,
    deadline(createdAt, appeal) {
      const r = ruleFor(appeal);
      return r.hours !== undefined ? createdAt + r.hours * 3_600_000 : calendar.addWorkingDays(createdAt, r.workingDays!);
    },
  };
}

export const defaultDeadlineRules: DeadlineRuleSet = deadlineRules(data);
