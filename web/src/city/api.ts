/** The components API as the console uses it (server/src/modules/components/routes.ts). */
import type { ComponentStatus } from '@commandhall/shared/components';
import { api } from '../api/http.ts';

export interface ComponentRow {
  id: string;
  type: string;
  lon: number;
  lat: number;
  cell: string;
  cellName: string;
  community: string;
  communityName: string;
  street: string;
  streetName: string;
  road: string | null;
  status: ComponentStatus;
}

export interface ComponentDetail extends ComponentRow {
  scansTotal?: number;
  appealsTotal?: number;
  scans?: { scanId: string; at: string; purpose: 'inspection' | 'report' | 'query' }[];
  appeals?: { appealId: string; at: string; category: string; channel: string; status: string | null }[];
}

export const PAGE = 50;

export const listComponents = (q: { scope: string; type?: string; status?: string; offset?: number }) =>
  api<{ scope: string; total: number; items: ComponentRow[] }>('/api/v1/components', {
    query: { scope: q.scope, type: q.type, status: q.status, offset: q.offset, limit: PAGE },
  });

export const componentDetail = (id: string) => api<ComponentDetail>(`/api/v1/components/${encodeURIComponent(id)}`);

/** The label sheet's page (SVG), opened in a tab of its own to print. */
export const labelsUrl = (scope: string, type?: string, page = 1) =>
  `/api/v1/components/labels.svg?${new URLSearchParams({ scope, ...(type ? { type } : {}), page: String(page) })}`;
