/** Acting on a video alert from the console: acknowledge, confirm (it becomes an appeal) or dismiss. */
import { api } from '../api/http.ts';
import type { AlertAction } from '@commandhall/shared/alert-lifecycle';

export function actOnAlert(id: string, body: { action: AlertAction; reason?: string; note?: string }): Promise<unknown> {
  return api(`/api/v1/alerts/${encodeURIComponent(id)}/actions`, { method: 'POST', body });
}
