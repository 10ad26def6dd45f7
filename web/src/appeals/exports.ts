/** The export jobs API: start an export of the filtered list, follow it, fetch the file. */
import { api } from '../api/http.ts';
import { listQuery, type AppealFilters } from './api.ts';

export interface ExportJob {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  format: 'csv' | 'xlsx';
  total: number;
  done: number;
  fileName: string;
  error: string | null;
}

export function startExport(f: AppealFilters, format: 'csv' | 'xlsx'): Promise<ExportJob> {
  const { limit: _limit, cursor: _cursor, ...query } = listQuery(f, 1);
  return api<ExportJob>('/api/v1/appeal-exports', { method: 'POST', body: { ...stripEmpty(query), format } });
}

export const exportStatus = (id: string) => api<ExportJob>(`/api/v1/appeal-exports/${encodeURIComponent(id)}`);
export const exportFileUrl = (id: string) => `/api/v1/appeal-exports/${encodeURIComponent(id)}/file`;

function stripEmpty(q: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => !!e[1]));
}
