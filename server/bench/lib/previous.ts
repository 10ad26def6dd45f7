/**
 * The previous commit's figures, printed beside this run's: `server/bench/previous.json`, written
 * by `npm run bench -- --save-previous` on the commit before a change (and committed with it), so
 * that every run shows what the change did on the machine at hand. Each part (`ingest`,
 * `startup`) keeps its own figures, with the commit, the date and the machine they are of; a
 * part the file does not have prints no previous column.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface PreviousPart<F = unknown> {
  /** The commit the figures are of (short hash, `+` when its work tree had changes). */
  commit: string;
  note?: string;
  date: string;
  machine: string;
  /** 1, 5 and 15 minute load averages when that run started. */
  loadAverage: number[];
  figures: F[];
}

export type Previous = Record<string, PreviousPart>;

export function readPrevious(file: string): Previous {
  if (!existsSync(file)) return {};
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Previous;
    return p && typeof p === 'object' ? p : {};
  } catch {
    return {};
  }
}

/** The current commit, short, with `+` when the work tree has changes; '' outside git. */
export function currentCommit(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head}+` : head;
  } catch {
    return '';
  }
}

/** Writes this run's parts as the previous ones; the parts it did not measure stay as they were. */
export function savePrevious(file: string, parts: Previous): void {
  const measured = Object.fromEntries(Object.entries(parts).filter(([, p]) => p.figures.length));
  writeFileSync(file, JSON.stringify({ ...readPrevious(file), ...measured }, null, 2) + '\n');
}

/** The previous figure of a part that `match`es (e.g. the ingest run of the same batch size), with its part. */
export function previousOf<F>(prev: Previous, part: string, match: (f: F) => boolean): { figure: F; of: PreviousPart } | undefined {
  const p = prev[part] as PreviousPart<F> | undefined;
  const figure = p?.figures.find(match);
  return p && figure ? { figure, of: p } : undefined;
}
