/**
 * The server's layout keeps its promises (docs/architecture.md): no import circle anywhere in
 * server/src; core/ knows no feature module; nothing but the simulator's plugin imports simulator/;
 * server and web never import each other; a file over 400 lines says why. Read from the source files themselves, so a new file is
 * covered without anyone remembering.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'server', 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : /\.(ts|vue)$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

/** Every module specifier a file imports or re-exports (static and dynamic, type-only included). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** server/src files → the server/src files they import (relative imports only). */
function serverGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of filesUnder(SRC)) {
    const deps = specifiers(f)
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(dirname(f), s));
    graph.set(f, deps);
  }
  return graph;
}

const rel = (f: string) => relative(SRC, f);

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the server layout', () => {
  const graph = serverGraph();

  it('reads the imports it checks (the walk itself works)', () => {
    expect(graph.size).toBeGreaterThan(100);
    const bus = graph.get(join(SRC, 'core', 'projection-bus.ts'))!;
    expect(bus.map(rel)).toContain('core/store/event-store.ts');
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
          ['c', ['a']],
        ]),
      ),
    ).toHaveLength(1);
  });

  it('has no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('core knows no feature module, and only the app imports the simulator, through its plugin', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      const from = rel(file);
      for (const d of deps.map(rel)) {
        if (from.startsWith('core/') && d.startsWith('modules/')) wrong.push(`${from} → ${d}`);
        if (d.startsWith('simulator/') && !from.startsWith('simulator/') && !(from === 'app.ts' && d === 'simulator/plugin.ts'))
          wrong.push(`${from} → ${d}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every folder says in its README what it owns and what it may import', () => {
    const folders = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => [join(dir, d.name), ...folders(join(dir, d.name))]);
    const missing = folders(SRC).filter((d) => {
      try {
        return !/May import/.test(readFileSync(join(d, 'README.md'), 'utf8'));
      } catch {
        return true;
      }
    });
    expect(missing.map(rel)).toEqual([]);
  });

  it('no file is over 400 lines unless its opening comment says why', () => {
    const long = filesUnder(SRC).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      const opening = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
      return lines > 400 && !/Over 400 lines/.test(opening) ? [`${rel(f)} (${lines} lines)`] : [];
    });
    expect(long).toEqual([]);
  });

  it('server and web never import each other', () => {
    const across = (dir: string, other: string) =>
      filesUnder(join(ROOT, dir, 'src')).flatMap((f) =>
        specifiers(f)
          .filter(
            (s) => (s.startsWith('.') && resolve(dirname(f), s).startsWith(join(ROOT, other))) || s.startsWith(`@commandhall/${other}`),
          )
          .map((s) => `${relative(ROOT, f)} → ${s}`),
      );
    expect([...across('server', 'web'), ...across('web', 'server')]).toEqual([]);
  });
});
