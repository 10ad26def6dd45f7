/**
 * What happened through each component's smart code: its latest scans and the appeals raised
 * about it (an `appeal.created` naming its `componentId`), for the component's detail in the
 * console. Bounded: the latest {@link PER_COMPONENT} of each per component, with totals, for at
 * most {@link MAX_COMPONENTS} components (the least recently active forgotten first).
 */
import type { ScanPurpose } from '@commandhall/shared';
import type { StoredEvent } from '../../core/store/event-store.ts';
import type { Projection } from '../../core/projection.ts';

export const PER_COMPONENT = 20;
export const MAX_COMPONENTS = 200_000;

export interface ScanRecord {
  scanId: string;
  at: string;
  purpose: ScanPurpose;
}

export interface RaisedAppeal {
  appealId: string;
  at: string;
  category: string;
  channel: string;
}

export interface Activity {
  scans: ScanRecord[];
  appeals: RaisedAppeal[];
  scansTotal: number;
  appealsTotal: number;
}

export class ComponentActivity implements Projection {
  readonly name = 'component-activity';
  private byId = new Map<string, Activity>();

  apply(stored: StoredEvent): void {
    const e = stored.event;
    if (e.type === 'smart_code.scanned') {
      const a = this.touch(e.data.codeId);
      a.scansTotal++;
      a.scans.unshift({ scanId: e.data.scanId, at: e.occurredAt, purpose: e.data.purpose });
      if (a.scans.length > PER_COMPONENT) a.scans.length = PER_COMPONENT;
    } else if (e.type === 'appeal.created' && e.data.componentId && stored.community) {
      const a = this.touch(e.data.componentId);
      a.appealsTotal++;
      a.appeals.unshift({ appealId: e.data.appealId, at: e.occurredAt, category: e.data.category, channel: e.data.channel });
      if (a.appeals.length > PER_COMPONENT) a.appeals.length = PER_COMPONENT;
    }
  }

  /** The component's activity, newest first (empty when nothing happened through it). */
  of(id: string): Activity {
    const a = this.byId.get(id);
    return a ? { ...a, scans: [...a.scans], appeals: [...a.appeals] } : { scans: [], appeals: [], scansTotal: 0, appealsTotal: 0 };
  }

  /** Its record, moved to the back of the map (the most recently active), the oldest forgotten past the cap. */
  private touch(id: string): Activity {
    let a = this.byId.get(id);
    if (a) this.byId.delete(id);
    else a = { scans: [], appeals: [], scansTotal: 0, appealsTotal: 0 };
    this.byId.set(id, a);
    if (this.byId.size > MAX_COMPONENTS) this.byId.delete(this.byId.keys().next().value!);
    return a;
  }

  figures() {
    return {};
  }
}
