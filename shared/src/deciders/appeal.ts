/**
 * The appeal decider: what an appeal event does to the appeal's lifecycle facts (status, deadline,
 * a pending extension), or why it may not happen. Ingest runs it against the batch so far over the
 * projections; the appeal projection folds its `next`; the console can pre-check an action with it.
 */
import { OPEN_STATUSES, checkExtension, checkTransition, type AppealStatus } from '../appeal-lifecycle.ts';
import { initialDeadline } from '../event-validity.ts';
import type { EventOf } from '../events.ts';
import { instantOf } from '../time.ts';
import type { Decision } from './decision.ts';

/** What the rules need to know about an appeal. Times are epoch ms. */
export interface AppealFacts {
  status: AppealStatus;
  deadline: number;
  /** Requested deadline of an extension request awaiting a decision; null when none is pending. */
  pendingUntil: number | null;
}

export type AppealEvent = EventOf<'appeal.created'> | EventOf<'appeal.transitioned'> | EventOf<'appeal.extension'>;

/** `facts` is the appeal as it stands (undefined when no appeal has that id). */
export function decideAppeal(facts: AppealFacts | undefined, e: AppealEvent): Decision<AppealFacts> {
  const id = e.data.appealId;
  if (e.type === 'appeal.created') {
    if (facts) return { reason: `appeal "${id}" already exists` };
    return { next: { status: 'collected', deadline: initialDeadline(e), pendingUntil: null } };
  }
  if (!facts) return { reason: `appeal "${id}" is unknown: send its appeal.created first` };
  if (e.type === 'appeal.transitioned') {
    const problem = checkTransition(facts.status, e.data.to);
    if (problem) return { reason: problem };
    // an appeal that ends (closed, rejected) ends its pending extension request with it: nothing is left to decide
    return { next: { ...facts, status: e.data.to, pendingUntil: OPEN_STATUSES.has(e.data.to) ? facts.pendingUntil : null } };
  }
  const d = e.data;
  const problem = checkExtension(facts, d);
  if (problem) return { reason: problem };
  const until = d.until === undefined ? null : instantOf(d.until);
  switch (d.action) {
    case 'requested':
      return { next: { ...facts, pendingUntil: until } };
    case 'approved':
      // checkExtension made sure a request is pending
      return { next: { ...facts, deadline: until ?? facts.pendingUntil!, pendingUntil: null } };
    case 'denied':
      return { next: { ...facts, pendingUntil: null } };
  }
}
