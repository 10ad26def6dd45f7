/**
 * Servers of the scale-out parts: one or more nodes on one event log, started as `npm start`
 * starts them, and the checks that every node folded the whole log.
 */
import { startServer, type RunningServer } from './proc.ts';
import { logExcerpt } from './report.ts';

/**
 * Starts `count` nodes one after the other (on two cores, starting them together only slows both),
 * each on its own DATA_DIR, with the same environment (the same DATABASE_URL: one log).
 */
export async function startNodes(root: string, env: Record<string, string>, count: number): Promise<RunningServer[]> {
  const nodes: RunningServer[] = [];
  try {
    for (let k = 0; k < count; k++) nodes.push(await startServer({ root, env }));
  } catch (e) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw e;
  }
  return nodes;
}

/** The last seq a node has folded into its projections (`GET /readyz`), or NaN. */
export async function foldedSeq(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
    return Number(((await res.json()) as { events?: number }).events);
  } catch {
    return NaN;
  }
}

/**
 * Waits (up to `timeoutMs`) until every node has folded `events` events; returns what each had
 * folded at the end, and how long the slowest took from the call.
 */
export async function waitFolded(nodes: RunningServer[], events: number, timeoutMs = 10_000): Promise<{ folded: number[]; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const folded = await Promise.all(nodes.map((n) => foldedSeq(n.url)));
    if (folded.every((f) => f >= events) || Date.now() - t0 > timeoutMs) return { folded, ms: Date.now() - t0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a node logged (it runs at LOG_LEVEL=warn: anything there is a warning or an error). */
export function nodeLog(node: RunningServer): { lines: number; first: string[] } {
  const { head, lines } = node.stderrLog();
  return { lines, first: logExcerpt(head) };
}

export const NODE_NAMES = ['A', 'B', 'C', 'D'];
