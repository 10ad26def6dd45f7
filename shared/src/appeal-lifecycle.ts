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
