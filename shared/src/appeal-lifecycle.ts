import { parseInstant } from './time.ts';

/**
 * The appeal (民生诉求) lifecycle. Producers report the status an appeal moved to; a move the
 * machine does not allow is refused with the current state and the allowed moves.
 */
export const APPEAL_STATUSES = ['collected', 'verified', 'dispatched', 'handling', 'resolved', 'closed', 'rejected'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** Statuses in which the appeal still needs work (counts as open, can become overdue). */
export const OPEN_STATUSES: ReadonlySet<AppealStatus> = new Set(['collected', 'verified', 'dispatched', 'handling', 'resolved']);

export const SATISFACTION_LEVELS = ['satisfied', 'basically_satisfied', 'dissatisfied', 'not_rated'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

const MOVES: Record<AppealStatus, readonly AppealStatus[]> = {
  collected: ['verified', 'rejected', 'resolved'], // resolved at once = handled immediately on intake
  verified: ['dispatched', 'rejected', 'resolved'],
  dispatched: ['handling', 'verified'], // back to verified: the unit returned a wrong dispatch
  handling: ['resolved'],
  resolved: ['closed', 'handling'], // back to handling: returned for rework
  closed: ['handling'], // reopened
  rejected: [],
};

export function allowedMoves(from: AppealStatus): readonly AppealStatus[] {
  return MOVES[from];
}

/** Null when legal, else a message naming the current state and the allowed moves. */
export function checkTransition(from: AppealStatus, to: AppealStatus): string | null {
  if (MOVES[from].includes(to)) return null;
  const allowed = MOVES[from];
  return `cannot move appeal from "${from}" to "${to}": allowed from "${from}" are ${allowed.length ? allowed.map((s) => `"${s}"`).join(', ') : 'none (final state)'}`;
}

/** What an extension check needs to know about the appeal. */
export interface ExtensionState {
  status: AppealStatus;
  /** Deadline now, epoch ms. */
  deadline: number;
  /** Requested deadline of a pending request, epoch ms; null when none is pending. */
  pendingUntil: number | null;
}

/** Statuses in which the handling unit may ask for more time. */
export const EXTENDABLE_STATUSES: ReadonlySet<AppealStatus> = new Set(['dispatched', 'handling']);

/**
 * Null when the extension step is legal, else why not. A request needs a reason and a new
 * deadline later than the current one, and only one request may be pending; approving or denying
 * needs a pending request; denying needs a reason; an approval may set its own later deadline.
 */
export function checkExtension(
  state: ExtensionState,
  step: { action: 'requested' | 'approved' | 'denied'; until?: string; reason?: string },
): string | null {
  const parsed = step.until === undefined ? null : parseInstant(step.until);
  if (parsed !== null && typeof parsed !== 'number') return `"until" "${step.until}" ${parsed.reason}`;
  const until = parsed;
  switch (step.action) {
    case 'requested':
      if (!EXTENDABLE_STATUSES.has(state.status))
        return `cannot request an extension while the appeal is "${state.status}": only while ${[...EXTENDABLE_STATUSES].map((s) => `"${s}"`).join(' or ')}`;
      if (state.pendingUntil !== null) return 'an extension request is already pending: approve or deny it first';
      if (!step.reason?.trim()) return 'an extension request needs a reason';
      if (until === null) return 'an extension request needs "until", the new deadline';
      if (until <= state.deadline) return `"until" must be later than the current deadline ${new Date(state.deadline).toISOString()}`;
      return null;
    case 'approved':
      if (state.pendingUntil === null) return 'no extension request is pending';
      if (until !== null && until <= state.deadline)
        return `"until" must be later than the current deadline ${new Date(state.deadline).toISOString()}`;
      return null;
    case 'denied':
      if (state.pendingUntil === null) return 'no extension request is pending';
      if (!step.reason?.trim()) return 'denying an extension needs a reason';
      return null;
  }
}
