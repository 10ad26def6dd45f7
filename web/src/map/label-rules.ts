/**
 * Which names the map puts down first, and in what words (pure, for tests). Names of the scope
 * shown come before the rest, busier communities before quieter ones; -1 leaves a name out.
 */
import { levelBelow, streetOf, type ScopeLevel } from '@commandhall/shared/scope';
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
  const community = l.level === 'community';
  if (community && !communities) return -1;
  if (f.level === 'community') {
    if (community) return l.code === f.code ? 20_000 : streetOf(l.code) === streetOf(f.code) ? 10_000 + today : -1;
    return l.level === 'street' && l.code !== streetOf(f.code) ? 5_000 : -1;
  }
  if (l.code === f.code) return -1;
  if (l.code.startsWith(f.code)) {
    // inside the scope shown: its children first, then the busier communities; a whole city
    // names its districts alone (its 70 streets and 630 communities would bury them)
    if (l.level === levelBelow(f.level)) return 10_000 + (community ? today : 0);
    return community && f.level !== 'city' ? today : -1;
  }
  // outside it: its peers, by name only
  return l.level === f.level ? 5_000 : -1;
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
