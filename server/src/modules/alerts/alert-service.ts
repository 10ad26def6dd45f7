/**
 * Video alerts for a principal: the queue and recent alerts of a scope, one alert with its
 * detections and what the caller may do, and actions turned into events through ingest with the
 * acting person as producer, every attempt written to the audit log. An alert outside the
 * caller's scope is answered exactly like one that does not exist. Alerts are read from the
 * projection engine (they are held in memory, rebuilt from the log on start).
 */
import { randomUUID } from 'node:crypto';
import {
  ALERT_STATUSES,
  OPEN_ALERT_STATUSES,
  canReadScope,
  redactAlert,
  scopeOfCode,
  scopeWithin,
  type AlertDetail,
  type AlertStatus,
  type AlertView,
  type CityEvent,
  streetOf,
} from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import type { IngestService } from '../../core/ingest/ingest-service.ts';
import type { AlertState } from './alert-state.ts';
import type { CityProjections } from '../city-projections.ts';
import type { AuditEntry } from '../auth/auth-store.ts';
import { actorOf, type Principal } from '../auth/principal.ts';
import { AlertError, alertActionEvent, allowedAlertActions, appealFromAlert, checkAlertAction, type AlertActionBody } from './actions.ts';
import type { CameraSource } from './view.ts';
import { runConsoleAction } from '../console-action.ts';

export interface AlertServiceDeps {
  engine: CityProjections;
  ingest: IngestService;
  geo: Geography;
  cameras: CameraSource;
  now: () => number;
  audit: (e: Omit<AuditEntry, 'id' | 'at'>) => Promise<void>;
}

export interface AlertListQuery {
  /** Default: the principal's scope. */
  scope?: string;
  /** Default: the open ones (raised, acknowledged). */
  statuses?: AlertStatus[];
  /** Raised at or after (epoch ms). */
  from?: number;
  limit: number;
  cursor?: string;
}

export interface AlertListView {
  scope: string;
  items: AlertView[];
  /** All the matches. */
  total: number;
  nextCursor: string | null;
}

const OPEN = [...OPEN_ALERT_STATUSES];

/** Position after an item: its raise time and id (the list's order). */
function encodeCursor(a: AlertState): string {
  return Buffer.from(JSON.stringify([a.raisedAt, a.id])).toString('base64url');
}

function decodeCursor(text: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === 'string') return [v[0] as number, v[1]];
  } catch {
    // answered below
  }
  throw new AlertError(400, 'invalid_cursor', 'cursor is not one this list gave: start again without it');
}

/** Newest raised first, then by id descending (the queue's order). */
const newestFirst = (x: AlertState, y: AlertState) => y.raisedAt - x.raisedAt || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0);

export class AlertService {
  constructor(private deps: AlertServiceDeps) {}

  list(p: Principal, q: AlertListQuery): AlertListView {
    const scope = q.scope ?? p.scope;
    // outside the area the answer is the same whether or not the scope exists
    if (!canReadScope(p, scope)) throw new AlertError(403, 'forbidden', 'this scope is outside your area');
    if (!this.deps.engine.hasScope(scope)) throw new AlertError(404, 'unknown_scope', `unknown scope "${scope}"`);
    const statuses = new Set(q.statuses ?? OPEN);
    const onlyOpen = [...statuses].every((s) => OPEN_ALERT_STATUSES.has(s));
    // the open ones are kept sorted per scope; the rest are found among all alerts
    let matches = onlyOpen
      ? this.deps.engine.openAlertsIn(scope)
      : [...this.deps.engine.alerts.values()].filter((a) => scopeWithin(scope, scopeOfCode(a.place)!)).sort(newestFirst);
    matches = matches.filter((a) => statuses.has(a.status) && (q.from === undefined || a.raisedAt >= q.from));
    let start = 0;
    if (q.cursor !== undefined) {
      const [raisedAt, id] = decodeCursor(q.cursor);
      const after = { raisedAt, id } as AlertState;
      start = matches.findIndex((a) => newestFirst(a, after) > 0);
      if (start < 0) start = matches.length;
    }
    const page = matches.slice(start, start + q.limit);
    const more = start + q.limit < matches.length;
    return {
      scope,
      items: page.map((a) => redactAlert(this.deps.engine.alertView(a), p)),
      total: matches.length,
      nextCursor: more && page.length ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  detail(p: Principal, id: string): AlertDetail {
    return this.detailOf(p, this.visible(p, id));
  }

  /**
   * Takes an action as the principal. Throws AlertError: 400 (the body lacks what the action
   * needs), 403 (the role may not), 404 (no such alert in the caller's area), 409 (the alert's
   * status does not allow it, or it changed meanwhile).
   */
  async act(
    p: Principal,
    id: string,
    body: AlertActionBody,
    ip: string | null,
  ): Promise<AlertDetail & { eventId: string; appealId: string | null }> {
    const actor = actorOf(p);
    let appealId: string | null = null;
    return runConsoleAction({
      requested: `alert:${id}`,
      actor,
      audit: (target, outcome, details) => this.deps.audit({ actor, action: `alert.${body.action}`, target, ip, outcome, details }),
      ingest: (events, producer, batch) => this.deps.ingest.ingest(events, producer, batch),
      find: () => this.visible(p, id),
      target: (a) => `alert:${a.id}`,
      base: (a): Record<string, unknown> => (id === a.id ? {} : { requested: id }),
      status: (a) => a.status,
      check: (a) => checkAlertAction(p.role, a.status, body),
      write: (a, to) => {
        const now = this.deps.now();
        const events: CityEvent[] = [];
        if (body.action === 'confirm') {
          appealId = `AP-VA-${randomUUID()}`;
          const community = this.deps.geo.area(a.community);
          const camera = this.deps.cameras.get(a.cameraId);
          const names = {
            communityName: community?.name ?? a.community,
            cameraName: camera?.name ?? null,
            cameraAddress: camera?.address ?? null,
          };
          events.push(appealFromAlert(a, appealId, `console.${randomUUID()}`, names, now, body.note));
        }
        const event = alertActionEvent(`console.${randomUUID()}`, a, body, actor, now, appealId ?? undefined);
        events.push(event);
        const details: Record<string, unknown> = { eventId: event.id, from: a.status, to, detections: a.count };
        if (appealId) details.appealId = appealId;
        if (body.reason !== undefined) details.reason = body.reason;
        // the appeal and the confirmation land together or not at all; a step another screen took first is refused, not absorbed
        return { events, details, batch: { atomic: true, mustAct: true } };
      },
      conflict: (reason) => new AlertError(409, 'conflict', reason ?? 'the alert changed meanwhile: reload it and try again'),
      answer: async (a, w) => ({
        eventId: w.events[w.events.length - 1].id,
        appealId,
        ...this.detailOf(p, this.deps.engine.alerts.get(a.id)!),
      }),
    });
  }

  /** The alert a detection id names, if it lies in the principal's area. */
  private visible(p: Principal, id: string): AlertState {
    const a = this.deps.engine.alertOf(id);
    if (!a || !canReadScope(p, scopeOfCode(a.place)!)) throw new AlertError(404, 'not_found', `no alert "${id}" in your area`);
    return a;
  }

  private detailOf(p: Principal, a: AlertState): AlertDetail {
    const street = streetOf(a.community);
    return {
      alert: redactAlert(this.deps.engine.alertView(a), p),
      communityName: this.deps.geo.area(a.community)?.name ?? '',
      streetName: this.deps.geo.area(street)?.name ?? '',
      detections: this.deps.engine.detectionsOf(a),
      actions: allowedAlertActions(p.role, a.status),
    };
  }
}

/** Statuses a list may ask for: any of ALERT_STATUSES, `open` (raised, acknowledged) or `all`. */
export function parseStatuses(text: string | undefined): AlertStatus[] | undefined {
  if (text === undefined) return undefined;
  const out = new Set<AlertStatus>();
  for (const s of text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    if (s === 'open') OPEN.forEach((x) => out.add(x));
    else if (s === 'all') ALERT_STATUSES.forEach((x) => out.add(x));
    else if ((ALERT_STATUSES as readonly string[]).includes(s)) out.add(s as AlertStatus);
    else throw new AlertError(400, 'invalid_request', `unknown status "${s}"; one of ${ALERT_STATUSES.join(', ')}, open or all`);
  }
  return out.size ? [...out] : undefined;
}
