/** Where a click on a community leads from the scope shown: one level down, or across (pure, for tests). */
import { streetOf, type ScopeLevel } from '@commandhall/shared/scope';

export function drillTarget(focus: { level: ScopeLevel; code: string }, scope: string, code: string): string {
  if (focus.level === 'district') return `street:${streetOf(code)}`;
  if (focus.level === 'street' && code.startsWith(focus.code)) return `community:${code}`;
  if (focus.level === 'street') return `street:${streetOf(code)}`;
  return code === focus.code ? scope : `community:${code}`;
}
