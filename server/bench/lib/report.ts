/** The bench's tables: figures of several runs side by side, with their targets. */
import type { Summary } from './stats.ts';
import { round } from './stats.ts';

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return rows.map((r, i) => (i === 1 && r[0] === '-' ? widths.map((w) => '─'.repeat(w)).join('  ') : line(r))).join('\n');
}

export const mark = (okay: boolean) => (okay ? ' ✓' : ' ✗');

/** A table row: label, the cell for one run, and the target (if any). */
export type Row<F> = [string, (f: F) => string, string?];

export function section<F>(title: string, runs: F[], head: (f: F) => string, rows: Row<F>[]): string {
  return table([
    [title, ...runs.map(head), 'target'],
    ['-'],
    ...rows.map(([label, cell, target]) => [label, ...runs.map(cell), target ?? '']),
  ]);
}

export function roundSummary(s: Summary): Summary {
  return { count: s.count, p50: round(s.p50), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}

export const pct = (cpuMs: number, wallMs: number) => (wallMs > 0 ? (100 * cpuMs) / wallMs : NaN);

/** The first lines a server wrote to stderr (it runs at LOG_LEVEL=warn), shortened, for the notes. */
export function logExcerpt(stderr: string, lines = 3, width = 240): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, lines)
    .map((l) => (l.length > width ? `${l.slice(0, width)}…` : l));
}
