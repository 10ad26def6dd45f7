/**
 * Appeals for a principal: the list and the detail within its scope (personal fields masked
 * without clearance), and actions turned into events through ingest with the acting person as
 * producer, every attempt written to the audit log. An appeal outside the caller's scope is
 * answered exactly like one that does not exist. The detail names the video alert an appeal was
 * created from only to callers who may see that alert (the alerts API's rule: its community lies
 * in their area), as the alert may lie elsewhere when an upstream system placed the appeal.
 */
import { randomUUID } from 'node:crypto';
import {
  canReadScope,
  codeAt,
  parseScope,
  scopeId,
  scopeOfCode,
  defaultDispatchRules,
  knownOf,
  redactAlert,
  redactText,
  type AppealDetail,
  type AppealList,
  type DispatchRuleSet,
  type DispatchSuggestion,
  type SourceAlert,
} from '@commandhall/shared';
import type { Geography } from '../../geography/index.ts';
import type { IngestService } from '../../core/ingest/ingest-service.ts';
import type { CityProjections } from '../city-projections.ts';
import type { AuditEntry } from '../auth/auth-store.ts';
import { actorOf, type Principal } from '../auth/principal.ts';
import type { EventStore } from '../../core/store/event-store.ts';
import { CursorError, type AppealRecord } from './appeal-read-model.ts';
import type { AppealReadModel } from './appeal-read-model.ts';
import { AppealError, actionEvent, allowedActions, checkAction, type ActionBody, type ActionState } from './actions.ts';
import { fullOf, sourceAlertOf, summaryOf, timelineOf } from './view.ts';
import { runConsoleAction } from '../console-action.ts';
import type { ListFilters } from './list-filters.ts';

export interface AppealServiceDeps {
  model: AppealReadModel;
  store: EventStore;
  ingest: IngestService;
  engine: CityProjections;
  geo: Geography;
  now: () => number;
  audit: (e: Omit<AuditEntry, 'id' | 'at'>) => Promise<void>;
  rules?: DispatchRuleSet;
}

/** Appeals a grid cell's list holds at most (the read model's limit on ids). */
export const GRID_LIST_MAX = 200;

export class AppealService {
  private rules: DispatchRuleSet;

  constructor(private deps: AppealServiceDeps) {
    this.rules = deps.rules ?? defaultDispatchRules;
  }

  async list(p: Principal, f: ListFilters): Promise<AppealList> {
    const scope = f.scope ?? p.scope;
    // outside the area the answer is the same whether or not the scope exists
    if (!canReadScope(p, scope)) throw new AppealError(403, 'forbidden', 'this scope is outside your area');
    if (!this.deps.engine.hasScope(scope)) throw new AppealError(404, 'unknown_scope', `unknown scope "${scope}"`);
    const now = this.deps.now();
    try {
      const page = await this.deps.model.list({ ...f, scope, now, ...this.inCell(scope) });
      return {
        items: page.items.map((a) => summaryOf(a, this.deps.geo, now, p)),
        nextCursor: page.nextCursor,
        total: page.total,
        totalExact: page.totalExact,
      };
    } catch (err) {
      if (err instanceof CursorError) throw new AppealError(400, 'invalid_cursor', err.message);
      throw err;
    }
  }

  async detail(p: Principal, id: string): Promise<AppealDetail> {
    return this.detailOf(p, await this.visible(p, id));
  }

  /**
   * Takes an action as the principal. Throws AppealError: 400 (the body lacks what the action
   * needs), 403 (the role may not), 404 (no such appeal in the caller's area), 409 (the appeal's
   * state does not allow it).
   */
  async act(p: Principal, id: string, body: ActionBody, ip: string | null): Promise<AppealDetail & { eventId: string }> {
    const actor = actorOf(p);
    return runConsoleAction({
      requested: `appeal:${id}`,
      actor,
      audit: (target, outcome, details) => this.deps.audit({ actor, action: `appeal.${body.action}`, target, ip, outcome, details }),
      ingest: (events, producer, batch) => this.deps.ingest.ingest(events, producer, batch),
      find: () => this.visible(p, id),
      target: (a) => `appeal:${a.id}`,
      status: (a) => this.stateOf(a).status,
      check: (a) => {
        const suggestion = this.suggest(a);
        if (body.action === 'dispatch' && body.unit !== undefined && body.unit !== suggestion.unit && !body.reason?.trim())
          throw new AppealError(
            400,
            'reason_required',
            `dispatching to a unit other than the suggested "${suggestion.unit}" needs a reason (the dispatch rules name it)`,
            { suggestion },
          );
        return { to: checkAction(p.role, actor, this.stateOf(a), body), suggestion };
      },
      write: (a, { to, suggestion }) => {
        const effective: ActionBody = body.action === 'dispatch' && body.unit === undefined ? { ...body, unit: suggestion.unit } : body;
        const event = actionEvent(`console.${randomUUID()}`, a.id, effective, to, actor, this.deps.now());
        const details: Record<string, unknown> = { eventId: event.id, from: this.stateOf(a).status };
        if (to) details.to = to;
        if (effective.unit !== undefined) details.unit = effective.unit;
        if (effective.until !== undefined) details.until = effective.until;
        if (effective.reason !== undefined) details.reason = redactText(effective.reason, { pii: false }, knownOf(a));
        return { events: [event], details };
      },
      conflict: (reason) => new AppealError(409, 'conflict', reason ?? 'the appeal changed meanwhile: reload it and try again'),
      answer: async (a, w) => ({ eventId: w.events[0].id, ...(await this.detailOf(p, (await this.deps.model.get(a.id)) ?? a)) }),
    });
  }

  /**
   * A grid cell's list: the read model keeps appeals by community, the engine knows each one's
   * cell. The cell's community, and the newest GRID_LIST_MAX of the cell's appeals by id (the
   * read model takes that many ids at most): a grid worker's list is of its latest appeals.
   */
  private inCell(scope: string): { scope: string; ids: readonly string[] } | object {
    const s = parseScope(scope);
    if (s?.level !== 'grid') return {};
    const mine = [...this.deps.engine.appeals.values()]
      .filter((a) => a.place === s.code)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, GRID_LIST_MAX)
      .map((a) => a.id);
    return { scope: scopeId('community', codeAt('community', s.code)), ids: mine.length ? mine : ['\u0000none'] };
  }

  /** The record, if it exists and lies in the principal's area (its grid cell, for a grid worker). */
  private async visible(p: Principal, id: string): Promise<AppealRecord> {
    const a = await this.deps.model.get(id);
    const place = a && (this.deps.engine.appeals.get(a.id)?.place ?? a.community);
    if (!a || !canReadScope(p, scopeOfCode(place!) ?? `community:${a.community}`))
      throw new AppealError(404, 'not_found', `no appeal "${id}" in your area`);
    return a;
  }

  private async detailOf(p: Principal, a: AppealRecord): Promise<AppealDetail> {
    const events = await this.deps.store.read(await this.deps.model.timeline(a.id));
    const now = this.deps.now();
    return {
      appeal: fullOf(a, this.deps.geo, now, p),
      timeline: timelineOf(events, p, knownOf(a)),
      suggestion: this.suggest(a),
      actions: allowedActions(p.role, actorOf(p), this.stateOf(a)),
      sourceAlert: this.sourceAlert(p, a.id),
    };
  }

  /** The alert whose confirmation created the appeal, if there is one and the principal may see it. */
  private sourceAlert(p: Principal, appealId: string): SourceAlert | null {
    const alert = this.deps.engine.sourceAlertOf(appealId);
    if (!alert || !canReadScope(p, `community:${alert.community}`)) return null;
    return sourceAlertOf(redactAlert(this.deps.engine.alertView(alert), p));
  }

  /** What the checks see: the engine's state (what ingest checks against), else the record's. */
  private stateOf(a: AppealRecord): ActionState {
    const e = this.deps.engine.appeals.get(a.id);
    return {
      status: e?.status ?? a.status,
      deadline: e?.deadline ?? a.deadline,
      pendingUntil: e ? e.pendingUntil : (a.extension?.until ?? null),
      requestedBy: a.extension?.requestedBy ?? null,
    };
  }

  private suggest(a: AppealRecord): DispatchSuggestion {
    return this.rules.suggest(
      { category: a.category, subcategory: a.subcategory ?? undefined, nature: a.nature },
      { street: this.deps.geo.area(a.street)?.name ?? '', community: this.deps.geo.area(a.community)?.name ?? '' },
    );
  }
}
