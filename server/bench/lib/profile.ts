/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by package or
 * source file, to point at the server's hot spots without opening a profiler UI. The profiler
 * samples the main thread's stack on a timer, so time spent blocked in a native call (an fsync
 * inside a SQLite commit) counts against the JavaScript function that made the call.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: HotSpot[];
  modules: HotSpot[];
}

/** Where a script URL belongs: an npm package, a source file of this repo, or node's internals. */
function owner(url: string, root: string): string {
  if (!url) return '(native / V8)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (clean.startsWith('node:')) return 'node (core)';
  return clean.startsWith(root) ? clean.slice(root.length + 1) : clean;
}

/**
 * `window` (µs on the monotonic clock, as `process.hrtime.bigint() / 1000n` reads it in any process
 * on the machine, and as V8 stamps profiles) keeps only samples inside it: the measured run, not the
 * server's start-up or shutdown.
 */
export function summariseProfile(file: string, root: string, top = 15, window?: { startUs: number; endUs: number }): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // sample i was taken timeDeltas[i] after sample i - 1: attribute that interval to sample i's node
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (window && (t < window.startUs || t > window.endUs)) continue;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt / 1000);
  }
  const fns = new Map<string, HotSpot>();
  const mods = new Map<string, HotSpot>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    total += ms;
    const mod = owner(n.callFrame.url, root);
    const where = n.callFrame.url ? `${mod}:${n.callFrame.lineNumber + 1}` : mod;
    const key = `${name}@${where}`;
    const f = fns.get(key) ?? { name, where, selfMs: 0, share: 0 };
    f.selfMs += ms;
    fns.set(key, f);
    const m = mods.get(mod) ?? { name: mod, where: '', selfMs: 0, share: 0 };
    m.selfMs += ms;
    mods.set(mod, m);
  }
  const rank = (xs: Iterable<HotSpot>) =>
    [...xs]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((h) => ({ ...h, selfMs: Math.round(h.selfMs), share: total ? h.selfMs / total : 0 }));
  return { totalMs: Math.round(total), functions: rank(fns.values()), modules: rank(mods.values()) };
}
