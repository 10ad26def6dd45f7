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
  /** Whether the grid cells' layer is on: without it their names go too. */
  grid?: boolean;
}

export function labelPriority(l: LabelledArea, ctx: LabelContext): number {
  const { focus, today } = ctx;
  // grid cells are named inside their own community only: a community hall names its cells, a
  // grid hall its own cell first and the others of its community after
  if (l.level === 'grid') {
    if (ctx.grid === false) return -1;
    if (focus.level === 'grid') return l.code === focus.code ? 20_000 : l.code.startsWith(focus.code.slice(0, 12)) ? 4_000 : -1;
    return focus.level === 'community' && l.code.startsWith(focus.code) ? 8_000 + today : -1;
  }
  // a grid hall names what is around it as its community's hall does
  const f = focus.level === 'grid' ? { level: 'community' as const, code: focus.code.slice(0, 12) } : focus;
  const { communities } = ctx;
  const community = l.level === 'community';
  if (community && !communities) return -1;
  if (f.level === 'community') {
    if (community)
      return l.code === f.code ? (focus.level === 'grid' ? 3_000 : 20_000) : streetOf(l.code) === streetOf(f.code) ? 10_000 + today : -1;
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
export function fullForm(name: string, lang: Lang, level?: ScopeLevel): string {
  // a cell is named inside its community: its number says enough (第07网格, Grid 07)
  if (level === 'grid') return lang === 'en' ? name.replace(/^.* (Grid \d+)$/, '$1') : name.replace(/^.*社区(第\d+网格)$/, '$1');
  return lang === 'en' ? name.replace(/ (Community|Subdistrict)$/, '') : name;
}

/** The crowded-spot form: without the generic suffix in Chinese (坪山社区 → 坪山); the map's
 * colours and the tooltip still say what kind of area it is. */
export function compactForm(name: string, level: ScopeLevel, lang: Lang): string {
  const n = fullForm(name, lang, level);
  if (level === 'grid') return lang === 'en' ? n.replace(/^Grid /, '#') : n.replace(/^第(\d+)网格$/, '$1');
  return lang === 'en' || level !== 'community' ? n : n.replace(/社区$/, '') || n;
}
