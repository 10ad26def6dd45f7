/** The themes every installation starts with: the five common ones and the example "x" themes. */
import type { Theme } from '../types.ts';
import { withLayouts } from '../reflow.ts';
import { overview, overviewCommunity } from './overview.ts';
import { video } from './video.ts';
import { grid } from './grid.ts';
import { components } from './components.ts';
import { industrialPark, riverChief } from './community-themes.ts';
import { appeals } from './appeals.ts';

export { overview, overviewCommunity, HEADLINE_KPIS, ACTIVITY_KPIS } from './overview.ts';
export { video, VIDEO_KPIS } from './video.ts';
export { grid, GRID_KPIS } from './grid.ts';
export { components, COMPONENT_KPIS } from './components.ts';
export { industrialPark, riverChief, INDUSTRIAL_COMMUNITY, RIVER_COMMUNITY } from './community-themes.ts';
export { appeals, ANALYSIS_KPIS } from './appeals.ts';
export { communityTheme, communityThemes, focusesOf, slugOf, COMMUNITY_FOCUSES, type CommunityFocus } from './community-x.ts';

/** Each with its layout for every shape of wall, reflowed from its 16:9 one (reflow.ts). */
export const BUILTIN_THEMES: readonly Theme[] = [overview, overviewCommunity, appeals, video, grid, components, industrialPark, riverChief].map(
  (t) => withLayouts(t),
);
