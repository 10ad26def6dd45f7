/**
 * Processes of the benchmark: the server under test (started exactly as `npm start` starts it, on a
 * fresh temporary data folder) and the child processes that load it. CPU and memory of another
 * process are read from /proc (Linux); elsewhere those figures are reported as unknown.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const CLK_TCK = 100; // USER_HZ: 100 on every Linux build Node supports

/** User + system CPU of a process (all its threads) in ms, or NaN when /proc is unavailable. */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may contain spaces
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return NaN;
  }
}

/** Resident memory of a process in KiB, or NaN. */
export function procRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Every process started here, so that a failure or Ctrl-C still stops them all. */
const live = new Set<ChildProcess>();
const dirs = new Set<string>();

export async function killAll(): Promise<void> {
  await Promise.all([...live].map((c) => stop(c, 3000)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      live.delete(child);
      return resolve();
    }
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      live.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  child: ChildProcess;
  dataDir: string;
  /** Last lines the server wrote to stderr, for error messages. */
  stderrTail: () => string;
  /** The first lines it wrote to stderr, and how many lines in all (it runs at LOG_LEVEL=warn). */
  stderrLog: () => { head: string; lines: number };
  stop: () => Promise<void>;
}

export interface ServerOptions {
  root: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /** A data folder to start on (kept when the server stops); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Everything the server writes to stdout (its log, at LOG_LEVEL=info and below). */
  onStdout?: (text: string) => void;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'commandhall-bench-'));
  if (!opts.dataDir) dirs.add(dataDir);
  // as `npm start` starts it (scripts/bootstrap.mjs)
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--max-semi-space-size=64', '--import', 'tsx', 'server/src/server.ts'], {
    cwd: opts.root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SIMULATOR: 'off', LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let err = '';
  let head = '';
  let lines = 0;
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString();
    err = (err + text).slice(-4000);
    if (head.length < 4000) head = (head + text).slice(0, 4000);
    for (const ch of text) if (ch === '\n') lines++;
  });
  const stderrTail = () => err.trim().split('\n').slice(-15).join('\n');

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`the server did not say it was listening within ${(opts.timeoutMs ?? 60_000) / 1000} s\n${stderrTail()}`)),
      opts.timeoutMs ?? 60_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      opts.onStdout?.(d.toString());
      out += d.toString();
      const m = /Command Hall listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening (code ${code}, signal ${signal})\n${stderrTail()}`));
    });
  });
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    child,
    dataDir,
    stderrTail,
    stderrLog: () => ({ head, lines }),
    stop: async () => {
      await stop(child, 10_000);
      if (opts.dataDir) return;
      rmSync(dataDir, { recursive: true, force: true });
      dirs.delete(dataDir);
    },
  };
}

/** A TypeScript child process with an IPC channel; its settings go as one JSON argument. */
export function forkTs(script: string, config: unknown, root: string): ChildProcess {
  const child = fork(script, [JSON.stringify(config)], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Collects a child's messages from the moment it starts, so that none is lost between two waits;
 * `next(type)` takes the oldest message of that type, and fails on the child's error message, its
 * exit, or a timeout.
 */
export class Mailbox {
  private queue: { type: string; message?: string }[] = [];
  private exited: string | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private child: ChildProcess,
    private what: string,
  ) {
    child.on('message', (m: { type: string; message?: string }) => {
      this.queue.push(m);
      this.wake?.();
    });
    child.once('exit', (code, signal) => {
      this.exited = `code ${code}, signal ${signal}`;
      this.wake?.();
    });
  }

  async next<T extends { type: string }>(type: T['type'], timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const err = this.queue.find((m) => m.type === 'error');
      if (err) throw new Error(`${this.what} failed: ${err.message}`);
      const i = this.queue.findIndex((m) => m.type === type);
      if (i >= 0) return this.queue.splice(i, 1)[0] as unknown as T;
      if (this.exited) throw new Error(`${this.what} exited (${this.exited}) before sending "${type}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.what} sent no "${type}" within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
  }
}

/** CPU time (ms) all processes on the machine spent busy (not idle or waiting on I/O), or NaN. */
export function systemBusyMs(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
    return (busy * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/**
 * CPU used in a window by each of a set of processes and by the rest of the machine ("other"):
 * on a shared machine, other load steals cores from the processes under test.
 */
export function cpuWindow(pids: Record<string, number | undefined>) {
  const read = () => {
    const per: Record<string, number> = {};
    for (const [k, pid] of Object.entries(pids)) per[k] = pid ? procCpuMs(pid) : NaN;
    per.self = procCpuMs(process.pid);
    return { per, system: systemBusyMs(), t: performance.now() };
  };
  const a = read();
  return () => {
    const b = read();
    const wallMs = b.t - a.t;
    const pct: Record<string, number> = {};
    let ours = 0;
    for (const k of Object.keys(a.per)) {
      const d = b.per[k] - a.per[k];
      pct[k] = (100 * d) / wallMs;
      if (Number.isFinite(d)) ours += d;
    }
    pct.other = (100 * Math.max(0, b.system - a.system - ours)) / wallMs;
    return { wallMs, pct };
  };
}
