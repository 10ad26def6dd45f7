/**
 * The city component decider. A component no event has named is normal; one that is not normal
 * keeps the type it was first reported with until it is normal again.
 */
import { componentStatusOf, type ComponentStatus } from '../components.ts';
import type { EventOf } from '../events.ts';
import type { Decision } from './decision.ts';

/** A component that is not normal. */
export interface ComponentFacts {
  type: string;
  status: Exclude<ComponentStatus, 'normal'>;
}

/** `next` is null when the component is normal afterwards; `changed` says whether its status moved. */
export type ComponentNext = { facts: ComponentFacts | null; changed: boolean };

/** `held` is the component while it is not normal (undefined when it is normal). */
export function decideComponent(held: ComponentFacts | undefined, e: EventOf<'component.status_changed'>): Decision<ComponentNext> {
  const d = e.data;
  if (held && held.type !== d.componentType)
    return {
      reason: `/data/componentType "${d.componentType}" does not match component "${d.componentId}": it is a "${held.type}" (not back to normal yet)`,
    };
  const status = componentStatusOf(d.status);
  const changed = (held?.status ?? 'normal') !== status;
  if (status === 'normal') return { next: { facts: null, changed } };
  return { next: { facts: { type: d.componentType, status }, changed } };
}
