/**
 * The video alerts API as the console uses it: one alert (by its id or a merged detection's), and
 * acting on it: acknowledge, confirm (it becomes an appeal) or dismiss.
 */
import { api } from '../api/http.ts';
import type { AlertAction, AlertStatus, AlertView } from '@commandhall/shared/alert-lifecycle';

/** `GET /api/v1/alerts/:id`: the alert, where it is, its detections and what the caller may do. */
export interface AlertDetail {
  alert: AlertView;
  communityName: string;
  streetName: string;
  detections: { id: string; status: AlertStatus }[];
  actions: AlertAction[];
}

export function getAlert(id: string, signal?: AbortSignal): Promise<AlertDetail> {
  return api<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`, { signal });
}

export function actOnAlert(id: string, body: { action: AlertAction; reason?: string; note?: string }): Promise<unknown> {
  return api(`/api/v1/alerts/${encodeURIComponent(id)}/actions`, { method: 'POST', body });
}
