/**
 * What a person can do to an appeal from the console, who may do it, and the event each action
 * becomes. The lifecycle itself (which moves are legal) is shared's; this adds the meaning of each
 * action (reopen only a closed appeal, return only a resolved or a dispatched one…), what it needs
 * (a reason, a new deadline) and the role rules:
 *
 *   operators          verify, dispatch, handle, resolve, close, return, reject, reopen, extend_request
 *   directors          all of the above, plus extend_approve and extend_deny
 *                      (never their own request: someone else decides an extension)
 *   administrators     none: they manage accounts, not cases (they read every appeal)
 *   wall devices       none: read-only
 *
 * always within the principal's scope.
 */
import {
  APPEAL_ACTIONS,
  EXTENDABLE_STATUSES,
  allowedMoves,
  checkExtension,
  checkTransition,
  type ActionBody,
  type AppealAction,
  type AppealStatus,
  type CityEvent,
  type ExtensionState,
  ACTOR_NAMES,
  APPEAL_ACTIONS_OF,
  type Actor,
} from '@commandhall/shared';
import { RequestError } from '../../util/request-error.ts';

// the action list and the body are the API's, shared with the console
export { APPEAL_ACTIONS, type ActionBody, type AppealAction };

interface TransitionRule {
  kind: 'transition';
  /** Statuses the action applies to, and where each goes. */
  moves: Partial<Record<AppealStatus, AppealStatus>>;
  /** A reason is required (it becomes the event's note). */
  reason?: boolean;
}
interface ExtensionRule {
  kind: 'extension';
  step: 'requested' | 'approved' | 'denied';
}

export const ACTION_RULES: Record<AppealAction, TransitionRule | ExtensionRule> = {
  verify: { kind: 'transition', moves: { collected: 'verified' } },
  dispatch: { kind: 'transition', moves: { verified: 'dispatched' } },
  handle: { kind: 'transition', moves: { dispatched: 'handling' } },
  // resolved at once on intake, after verification (answered by the centre) or after handling
  resolve: { kind: 'transition', moves: { collected: 'resolved', verified: 'resolved', handling: 'resolved' } },
  close: { kind: 'transition', moves: { resolved: 'closed' } },
  // back for rework, or a unit sending back a wrong dispatch
  return: { kind: 'transition', moves: { resolved: 'handling', dispatched: 'verified' }, reason: true },
  reject: { kind: 'transition', moves: { collected: 'rejected', verified: 'rejected' }, reason: true },
  reopen: { kind: 'transition', moves: { closed: 'handling' }, reason: true },
  extend_request: { kind: 'extension', step: 'requested' },
  extend_approve: { kind: 'extension', step: 'approved' },
  extend_deny: { kind: 'extension', step: 'denied' },
};

// an action that the lifecycle forbids would be refused by ingest on every use: fail at start instead
for (const [action, rule] of Object.entries(ACTION_RULES)) {
  if (rule.kind !== 'transition') continue;
  for (const [from, to] of Object.entries(rule.moves)) {
    const problem = checkTransition(from as AppealStatus, to);
    if (problem) throw new Error(`appeal action "${action}": ${problem}`);
  }
}

/** What the checks need to know about the appeal now. */
export interface ActionState extends ExtensionState {
  /** Who asked for the pending extension (`user:alice`, or the producer), if one is pending. */
  requestedBy: string | null;
}

/** Why a request about appeals cannot be answered, as an HTTP answer. */
export class AppealError extends RequestError {}

/** The actions that make sense for an appeal in this state, whoever asks. */
export function possibleActions(s: ActionState): AppealAction[] {
  return APPEAL_ACTIONS.filter((a) => {
    const rule = ACTION_RULES[a];
    if (rule.kind === 'transition') return rule.moves[s.status] !== undefined;
    if (rule.step === 'requested') return EXTENDABLE_STATUSES.has(s.status) && s.pendingUntil === null;
    return s.pendingUntil !== null;
  });
}

/** The actions this actor (role, audit name) may take now. */
export function allowedActions(role: Actor, actor: string, s: ActionState): AppealAction[] {
  return possibleActions(s).filter((a) => APPEAL_ACTIONS_OF[role].has(a) && !(a === 'extend_approve' && s.requestedBy === actor));
}

const quoted = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');

/** What an illegal action's error carries besides its message: the state and the way on. */
function stateDetails(s: ActionState) {
  return { status: s.status, allowedMoves: [...allowedMoves(s.status)], possibleActions: possibleActions(s) };
}

/**
 * Checks that the body has what the action needs (400) and that the role allows it (403), then
 * that the appeal's state allows it (409, naming the current state and the allowed moves).
 * Returns the appeal's next status for transitions.
 */
export function checkAction(role: Actor, actor: string, s: ActionState, body: ActionBody): AppealStatus | null {
  const { action } = body;
  const rule = ACTION_RULES[action];
  const extra = (field: keyof ActionBody, allowed: AppealAction[]) => {
    if (body[field] !== undefined && !allowed.includes(action))
      throw new AppealError(400, 'invalid_request', `"${field}" does not apply to ${action}; it goes with ${allowed.join(' or ')}`);
  };
  extra('unit', ['dispatch']);
  extra('until', ['extend_request', 'extend_approve']);
  extra('satisfaction', ['close']);
  const needsReason = (rule.kind === 'transition' && rule.reason) || action === 'extend_request' || action === 'extend_deny';
  if (needsReason && !body.reason?.trim()) throw new AppealError(400, 'reason_required', `${action} needs a reason`);
  if (action === 'extend_request' && body.until === undefined)
    throw new AppealError(400, 'invalid_request', 'extend_request needs "until", the deadline asked for');

  if (!APPEAL_ACTIONS_OF[role].has(action)) {
    const mine = [...APPEAL_ACTIONS_OF[role]];
    throw new AppealError(
      403,
      'forbidden',
      `${ACTOR_NAMES[role]} may not ${action} appeals${mine.length ? ` (allowed: ${mine.join(', ')})` : ': the role is read-only for appeals'}`,
    );
  }

  if (rule.kind === 'transition') {
    const to = rule.moves[s.status];
    if (to !== undefined) return to;
    const froms = Object.keys(rule.moves);
    // the lifecycle's own words when it forbids the move; otherwise what the action is for
    const target = Object.values(rule.moves)[0]!;
    const lifecycle = checkTransition(s.status, target);
    const message =
      lifecycle ??
      `cannot ${action} an appeal that is "${s.status}": ${action} applies to ${quoted(froms)} appeals; allowed from "${s.status}" are ${quoted(allowedMoves(s.status))}`;
    throw new AppealError(409, 'illegal_transition', message, stateDetails(s));
  }
  const problem = checkExtension(s, { action: rule.step, until: body.until, reason: body.reason });
  if (problem) throw new AppealError(409, 'illegal_extension', problem, { ...stateDetails(s), pendingUntil: s.pendingUntil });
  if (rule.step === 'approved' && s.requestedBy === actor)
    throw new AppealError(403, 'forbidden', 'you requested this extension: another director decides it');
  return null;
}

/** The event an action becomes, acted by `actor` at `now`. */
export function actionEvent(
  id: string,
  appealId: string,
  body: ActionBody,
  to: AppealStatus | null,
  actor: string,
  now: number,
): CityEvent {
  const occurredAt = new Date(now).toISOString();
  const rule = ACTION_RULES[body.action];
  if (rule.kind === 'extension') {
    const data: Extract<CityEvent, { type: 'appeal.extension' }>['data'] = { appealId, action: rule.step, by: actor };
    if (body.until !== undefined) data.until = body.until;
    const reason = [body.reason, body.note].filter((x) => x?.trim()).join('\n');
    if (reason) data.reason = reason;
    return { id, type: 'appeal.extension', occurredAt, data };
  }
  const data: Extract<CityEvent, { type: 'appeal.transitioned' }>['data'] = { appealId, to: to! };
  if (body.unit !== undefined) data.unit = body.unit;
  if (body.satisfaction !== undefined) data.satisfaction = body.satisfaction;
  // a transition carries one note: the reason first, then whatever else was said
  const note = [body.reason, body.note].filter((x) => x?.trim()).join('\n');
  if (note) data.note = note;
  return { id, type: 'appeal.transitioned', occurredAt, data };
}
