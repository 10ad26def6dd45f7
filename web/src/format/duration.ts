/**
 * Durations in minutes as a person reads them: "45分钟", "3.5小时", "2.1天" (or "45 min",
 * "3.5 h", "2.1 d"); a missing figure is an em dash.
 */
import { MISSING, type Lang } from './number.ts';

export function formatDuration(minutes: number | null | undefined, lang: Lang): string {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return MISSING;
  const zh = lang !== 'en';
  const one = (v: number) => (v >= 10 ? Math.round(v).toString() : (Math.round(v * 10) / 10).toString());
  if (minutes < 60) return zh ? `${one(minutes)}分钟` : `${one(minutes)} min`;
  if (minutes < 48 * 60) return zh ? `${one(minutes / 60)}小时` : `${one(minutes / 60)} h`;
  return zh ? `${one(minutes / 1440)}天` : `${one(minutes / 1440)} d`;
}
