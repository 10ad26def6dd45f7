/**
 * The video alerts API as the console uses it: one alert (by its id or a merged detection's), and
 * acting on it: acknowledge, confirm (it becomes an appeal) or dismiss.
 */
import { api } from '../api/http.ts';
import type { AlertAction, AlertDetail } from '@commandhall/shared/alert-lifecycle';

export type { AlertDetail };

export function getAlert(id: string, signal?: AbortSignal): Promise<AlertDetail> {
  return api<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`, { signal });
}

export function actOnAlert(id: string, body: { action: AlertAction; reason?: string; note?: string }): Promise<unknown> {
  return api(`/api/v1/alerts/${encodeURIComponent(id)}/actions`, { method: 'POST', body });
}
