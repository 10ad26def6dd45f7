/** Where a click on a community leads from the scope shown: one level down, or across (pure, for tests); a grid cell's click leads to the cell (MapView). */
import { codeAt, levelBelow, type ScopeLevel } from '@commandhall/shared/scope';

export function drillTarget(focus: { level: ScopeLevel; code: string }, scope: string, code: string): string {
  const below = levelBelow(focus.level);
  // a community's polygon leads no lower than the community: its grid cells take their own clicks
  if (!below || below === 'grid') return code === focus.code ? scope : `community:${code}`;
  // inside the scope shown: the area one level down that holds the community; outside: its peer
  return code.startsWith(focus.code) ? `${below}:${codeAt(below, code)}` : `${focus.level}:${codeAt(focus.level, code)}`;
}
