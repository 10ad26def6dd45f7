/**
 * Rules that give an appeal its deadline and decide which appeals count for the immediate-handling
 * rate. Placeholder values for the default deployment; a later rule table replaces them.
 */
const HOUR = 3_600_000;

/** Hours to resolve, by nature. */
const NATURE_HOURS: Record<string, number> = {
  request: 5 * 24,
  complaint: 15 * 24,
  enquiry: 3 * 24,
  suggestion: 7 * 24,
  thanks: 3 * 24,
  other: 5 * 24,
};
/** Categories whose requests are urgent (安全隐患: hazards) get a day. */
const URGENT_CATEGORY_HOURS: Record<string, number> = { '1': 24 };

/** Default deadline (UTC ms) of an appeal created at `createdAt`. */
export function defaultDeadline(createdAt: number, nature: string, category: string): number {
  const hours = URGENT_CATEGORY_HOURS[category] ?? NATURE_HOURS[nature] ?? 5 * 24;
  return createdAt + hours * HOUR;
}

/**
 * Appeals the receiving centre can answer itself (即办): enquiries, suggestions, thanks and other.
 * One counts as handled immediately when it is resolved within the window after collection.
 */
export const IMMEDIATE_ELIGIBLE_NATURES: ReadonlySet<string> = new Set(['enquiry', 'suggestion', 'thanks', 'other']);
export const IMMEDIATE_WINDOW_MS = HOUR;
