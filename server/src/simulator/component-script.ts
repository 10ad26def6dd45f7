/**
 * Simulated city components (城市部件) as timed events: a component's status changes and the scans
 * of its smart code, a fault's life from breaking to repaired, a smart pole's outage.
 */
import type { ComponentEventStatus, ScanPurpose } from '@commandhall/shared';
import { iso, type Scheduled } from './appeal-script.ts';
import { FAULT_SCAN_SHARE, FAULT_TO_REPAIR_HOURS, POLE_OUTAGE_MINUTES, REPAIR_HOURS, REPAIR_SCAN_SHARE } from './district-mix.ts';
import type { Random } from './random.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface SimComponent {
  id: string;
  type: string;
  community: string;
  where: { lon: number; lat: number };
}

/** A simulated component's id (its smart code): community, type and number within the registry's count. */
export function componentIdOf(community: string, type: string, n: number): string {
  return `CP-${community}-${type}-${n}`;
}

/** FNV-1a of a string: a seed per component. */
export function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A component breaks (sometimes reported by scanning its smart code), is taken into repair and is
 * back to normal; half the repairs are closed with an inspection scan.
 */
export function faultScript(rng: Random, id: string, t0: number, speed: number, c: SimComponent): Scheduled[] {
  const t1 = t0 + (rng.between(FAULT_TO_REPAIR_HOURS[0], FAULT_TO_REPAIR_HOURS[1]) * HOUR) / speed;
  const t2 = t1 + (rng.between(REPAIR_HOURS[0], REPAIR_HOURS[1]) * HOUR) / speed;
  const out: Scheduled[] = [];
  if (rng.chance(FAULT_SCAN_SHARE)) out.push(scanOf(`${id}.s`, t0 - (rng.between(1, 10) * MIN) / speed, c, 'report'));
  out.push(componentEvent(`${id}.0`, t0, c, 'fault'));
  out.push(componentEvent(`${id}.1`, t1, c, 'repairing'));
  out.push(componentEvent(`${id}.2`, t2, c, 'normal'));
  if (rng.chance(REPAIR_SCAN_SHARE)) out.push(scanOf(`${id}.r`, t2, c, 'inspection'));
  return out;
}

/** A smart pole drops off the network and comes back. */
export function poleOutage(rng: Random, id: string, t0: number, speed: number, c: SimComponent): Scheduled[] {
  const t1 = t0 + (rng.between(POLE_OUTAGE_MINUTES[0], POLE_OUTAGE_MINUTES[1]) * MIN) / speed;
  return [componentEvent(`${id}.0`, t0, c, 'offline'), componentEvent(`${id}.1`, t1, c, 'online')];
}

export function componentEvent(id: string, at: number, c: SimComponent, status: ComponentEventStatus): Scheduled {
  return {
    at,
    event: {
      id,
      type: 'component.status_changed',
      occurredAt: iso(at),
      data: { componentId: c.id, componentType: c.type, status, location: c.where, communityCode: c.community },
    },
  };
}

/** A scan of the component's smart code (its id). */
export function scanOf(id: string, at: number, c: SimComponent, purpose: ScanPurpose): Scheduled {
  return {
    at,
    event: {
      id,
      type: 'smart_code.scanned',
      occurredAt: iso(at),
      data: { scanId: id, codeId: c.id, componentType: c.type, purpose, location: c.where, communityCode: c.community },
    },
  };
}
