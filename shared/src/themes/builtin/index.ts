/** The themes every installation starts with: the five common ones and the example "x" themes. */
import type { Theme } from '../types.ts';
import { overview } from './overview.ts';
import { appeals } from './appeals.ts';

export { overview, HEADLINE_KPIS, ACTIVITY_KPIS } from './overview.ts';
export { appeals, ANALYSIS_KPIS } from './appeals.ts';

export const BUILTIN_THEMES: readonly Theme[] = [overview, appeals];
