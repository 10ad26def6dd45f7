/**
 * Names of taxonomy codes (categories, channels, natures, video AI algorithms) in the interface
 * language, from the shared taxonomy. Unknown codes show as themselves rather than vanish.
 */
import type { Lang } from '../format/number.ts';
import { taxonomyLabel, type TaxonomyKind } from '@commandhall/shared/taxonomy';

export function codeLabel(kind: TaxonomyKind, code: string, lang: Lang): string {
  return taxonomyLabel(kind, code, lang === 'en' ? 'en' : 'zh') ?? code;
}
