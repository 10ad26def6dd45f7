/** The wall screens by name, as routes and links name them. */
import { districtWall } from './district-wall.ts';
import { appealAnalysis } from './appeal-analysis.ts';
import type { ScreenLayout } from './types.ts';

export const SCREENS = { wall: districtWall, analysis: appealAnalysis } satisfies Record<string, ScreenLayout>;
export type ScreenName = keyof typeof SCREENS;
