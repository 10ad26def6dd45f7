/**
 * Starts the real server as a child process for a browser test file: its own free port, its own
 * temporary data directory, simulator off unless asked. Waits for the line the server prints when
 * it is ready (`Command Hall listening on http://HOST:PORT`). `restart()` stops it and starts it
 * again on the same port and data directory, as after a deployment or a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.ts';

export interface ServerOptions {
  /** 0 (default) lets the server pick a free port. */
  port?: number;
  dataDir?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the server and starts it again on the same port and data directory. */
  restart(): Promise<TestServer>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

const READY = /Command Hall listening on (http:\/\/[^\s]+)/;

export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ch-browser-data-'));
  const env = {
    ...process.env,
    PORT: String(opts.port ?? 0),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SIMULATOR: 'off',
    LOG_LEVEL: 'warn',
    TICK_MS: '250',
    ...opts.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`server did not start within ${opts.readyTimeoutMs ?? 90_000} ms`)),
      opts.readyTimeoutMs ?? 90_000,
    );
    const onData = () => {
      const m = READY.exec(out);
      if (m) {
        cleanup();
        resolve(m[1]);
      }
    };
    const onExit = (code: number | null) => fail(new Error(`server exited with code ${code} before it was ready`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(e: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n--- server output ---\n${out}`));
    }
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  const port = Number(new URL(url).port);

  const handle: TestServer = {
    url,
    port,
    dataDir,
    output: () => out,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
    async restart() {
      await stopChild(child, 'SIGTERM');
      return startServer({ ...opts, port, dataDir });
    },
    async dispose() {
      await stopChild(child, 'SIGTERM');
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
