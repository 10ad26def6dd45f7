/**
 * What a decider answers: the aggregate's next state, or why the event may not happen. Ingest
 * refuses an event with the reason; projections fold the same `next`, so a rule exists once.
 */
export type Decision<T> = { next: T; reason?: undefined } | { reason: string };
