/**
 * Which names the map puts down first, and in what words (pure, for tests). Names of the scope
 * shown come before the rest, busier communities before quieter ones; -1 leaves a name out.
 */
import { streetOf, type ScopeLevel } from '@commandhall/shared/scope';
import type { Lang } from '../format/number.ts';

export interface LabelledArea {
  level: ScopeLevel;
  code: string;
}

export interface LabelContext {
  focus: LabelledArea;
  /** Appeals today in the community (0 when unknown). */
  today: number;
  /** Whether the communities' layer is on: without it their names go too. */
  communities: boolean;
}

export function labelPriority(l: LabelledArea, { focus: f, today, communities }: LabelContext): number {
  if (l.level === 'community' && !communities) return -1;
  if (f.level === 'district') return l.level === 'street' ? 10_000 : today;
  if (f.level === 'street') {
    if (l.level === 'community') return l.code.startsWith(f.code) ? 10_000 + today : -1;
    return l.code === f.code ? -1 : 5_000;
  }
  if (l.level === 'community') return l.code === f.code ? 20_000 : streetOf(l.code) === streetOf(f.code) ? 10_000 + today : -1;
  return l.code === streetOf(f.code) ? -1 : 5_000;
}

/** The name as a label writes it: in English without the generic "Community" or "Subdistrict". */
export function fullForm(name: string, lang: Lang): string {
  return lang === 'en' ? name.replace(/ (Community|Subdistrict)$/, '') : name;
}

/** The crowded-spot form: without the generic suffix in Chinese (坪山社区 → 坪山); the map's
 * colours and the tooltip still say what kind of area it is. */
export function compactForm(name: string, level: ScopeLevel, lang: Lang): string {
  const n = fullForm(name, lang);
  return lang === 'en' || level !== 'community' ? n : n.replace(/社区$/, '') || n;
}
