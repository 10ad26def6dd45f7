export { consoleLayout, ALERT_KPIS } from './console.ts';
