/**
 * Online and total cameras per scope (a camera counts in its community, its street and the
 * district), updated with each change and never recounted: the map, the metrics and the alerts
 * read them on every tick.
 */
import type { OnlineRate } from '@commandhall/shared/cameras';

interface Counts {
  online: number;
  total: number;
}

export class CameraCounts {
  private counts = new Map<string, Counts>();

  /** A camera (online or not) came into these scopes (+1) or left them (-1). */
  add(scopes: readonly string[], online: boolean, sign: 1 | -1): void {
    for (const s of scopes) {
      let n = this.counts.get(s);
      if (!n) this.counts.set(s, (n = { online: 0, total: 0 }));
      n.total += sign;
      if (online) n.online += sign;
      if (n.total === 0) this.counts.delete(s);
    }
  }

  /** A camera of these scopes went online (+1) or offline (-1). */
  moveOnline(scopes: readonly string[], delta: 1 | -1): void {
    for (const s of scopes) this.counts.get(s)!.online += delta;
  }

  rate(scope: string): OnlineRate {
    const c = this.counts.get(scope);
    return c ? rateOf(c) : { online: 0, total: 0, rate: null };
  }

  rates(): ReadonlyMap<string, OnlineRate> {
    return new Map([...this.counts].map(([scope, c]) => [scope, rateOf(c)]));
  }
}

function rateOf(c: Counts): OnlineRate {
  return { online: c.online, total: c.total, rate: c.total ? c.online / c.total : null };
}
