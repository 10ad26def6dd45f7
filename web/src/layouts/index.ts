export { consoleLayout, ALERT_KPIS } from './console.ts';
export { SCREENS, type ScreenName } from './screens.ts';
