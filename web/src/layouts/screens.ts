/** The single-theme wall screens by name, as routes and links name them (`/wall/:scope`, `/analysis/:scope`). */
import { appeals, overview, type Theme } from '@commandhall/shared/themes';

export const SCREENS = { wall: overview, analysis: appeals } satisfies Record<string, Theme>;
export type ScreenName = keyof typeof SCREENS;
