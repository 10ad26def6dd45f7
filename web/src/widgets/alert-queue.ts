/** The alert queue widget's order and ages (pure, for tests). */
import type { AlertView } from '@commandhall/shared/alert-lifecycle';
import type { Lang } from '../format/number.ts';

const URGENCY: Record<string, number> = { district: 2, street: 1, community: 0 };
const urgency = (a: AlertView) => (a.escalated ? (URGENCY[a.level] ?? 0) : 0);

/** Most urgent first: escalated furthest, then waiting longest. */
export function byUrgency(list: readonly AlertView[]): AlertView[] {
  return [...list].sort((a, b) => urgency(b) - urgency(a) || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id));
}

const two = (n: number) => String(n).padStart(2, '0');

/** How long something has waited, to the second, short enough for a wall row: "3分05秒", "3m 05s". */
export function formatAge(ms: number, lang: Lang): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const zh = lang !== 'en';
  if (d > 0) return zh ? `${d}天${h}小时` : `${d}d ${h}h`;
  if (h > 0) return zh ? `${h}小时${two(m)}分` : `${h}h ${two(m)}m`;
  if (m > 0) return zh ? `${m}分${two(sec)}秒` : `${m}m ${two(sec)}s`;
  return zh ? `${sec}秒` : `${sec}s`;
}
