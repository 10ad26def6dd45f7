/** Where a click on a community leads from the scope shown: one level down, or across (pure, for tests). */
import { codeAt, levelBelow, type ScopeLevel } from '@commandhall/shared/scope';

export function drillTarget(focus: { level: ScopeLevel; code: string }, scope: string, code: string): string {
  const below = levelBelow(focus.level);
  if (!below) return code === focus.code ? scope : `community:${code}`;
  // inside the scope shown: the area one level down that holds the community; outside: its peer
  return code.startsWith(focus.code) ? `${below}:${codeAt(below, code)}` : `${focus.level}:${codeAt(focus.level, code)}`;
}
