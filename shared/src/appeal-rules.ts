/**
 * Rules that give an appeal its deadline and decide which appeals count for the immediate-handling
 * rate.
 */
import { defaultDeadlineRules } from './deadline-rules.ts';

const HOUR = 3_600_000;

/** Default deadline (UTC ms) of an appeal created at `createdAt`, from the deadline rule table. */
export function defaultDeadline(createdAt: number, nature: string, category: string, subcategory?: string): number {
  return defaultDeadlineRules.deadline(createdAt, { nature, category, subcategory });
}

/**
 * Appeals the receiving centre can answer itself (即办): enquiries, suggestions, thanks and other.
 * One counts as handled immediately when it is resolved within the window after collection.
 */
export const IMMEDIATE_ELIGIBLE_NATURES: ReadonlySet<string> = new Set(['enquiry', 'suggestion', 'thanks', 'other']);
export const IMMEDIATE_WINDOW_MS = HOUR;
