/**
 * A worker thread that answers calls: the caller's side (`startThread`, `ThreadClient.call`) and
 * the thread's (`serveCalls`). Each call is a numbered message; its answer carries the result or
 * the error's message. Small on purpose: the server's writer threads need requests, answers, a
 * ready signal (so that a thread that cannot open its database fails the start) and a clean stop.
 *
 * The server runs from TypeScript through tsx, and a thread does not always inherit that loader
 * (tests start the app inside Vitest): every thread starts at `worker-entry.mjs`, which loads the
 * thread's module through tsx's API.
 */
import { Worker, parentPort, workerData } from 'node:worker_threads';

type Outcome = { ok: true; value: unknown } | { ok: false; message: string; stack?: string };
type Answer = { id: number } & Outcome;
type Call = { id: number; method: string; args: unknown[] };
/** What a thread sends once its module has loaded and opened what it serves. */
const READY = '__ready__';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** Methods a thread serves: each answers with a value (or a promise of one) or throws. */
export type Handlers = Record<string, (...args: never[]) => unknown>;

export class ThreadClient<H extends Handlers> {
  private next = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stopped: Error | null = null;

  private constructor(
    private worker: Worker,
    readonly name: string,
  ) {
    worker.on('message', (m: Answer) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new Error(m.message), { stack: m.stack ?? m.message }));
    });
    worker.on('error', (err) => this.fail(new Error(`the ${name} thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.fail(new Error(`the ${name} thread stopped (exit code ${code})`)));
  }

  /**
   * Starts the thread running `module` (a .ts file URL) with `data` as its `workerData.data`, and
   * resolves once it has said it is ready (rejects with its error, once the thread is gone, when
   * it could not start).
   */
  static start<H extends Handlers>(name: string, module: URL, data: unknown): Promise<ThreadClient<H>> {
    const worker = new Worker(ENTRY, { workerData: { module: module.href, data }, name });
    return new Promise((resolve, reject) => {
      // rejected once the thread is gone, so that a start that fails leaves no thread behind
      let failure: Error | null = null;
      const early = (err: Error) => (failure = new Error(`the ${name} thread could not start: ${err.message}`, { cause: err }));
      const exit = (code: number) => reject(failure ?? new Error(`the ${name} thread could not start (exit code ${code})`));
      worker.once('error', early);
      worker.once('exit', exit);
      worker.once('message', (m: unknown) => {
        worker.off('error', early);
        worker.off('exit', exit);
        if (m === READY) resolve(new ThreadClient<H>(worker, name));
        else reject(new Error(`the ${name} thread sent ${JSON.stringify(m)} before it was ready`));
      });
    });
  }

  /** Calls `method` in the thread; resolves with its answer. */
  call<M extends keyof H & string>(method: M, ...args: Parameters<H[M]>): Promise<Awaited<ReturnType<H[M]>>> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies Call);
    });
  }

  /** Stops the thread (what it was doing is abandoned: call what closes its files first). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.fail(new Error(`the ${this.name} thread was stopped`));
    await this.worker.terminate();
  }

  private fail(err: Error): void {
    this.stopped ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** The thread's data (`ThreadClient.start`'s `data`). */
export function threadData<T>(): T {
  return (workerData as { data: T }).data;
}

/**
 * Inside the thread: answers calls with `handlers`, one message at a time in arrival order (a
 * handler that returns a promise is answered when it settles, while later calls are taken).
 */
export function serveCalls(handlers: Handlers): void {
  const port = parentPort;
  if (!port) throw new Error('serveCalls runs inside a worker thread');
  port.on('message', (m: Call) => {
    const answer = (a: Outcome) => port.postMessage({ id: m.id, ...a });
    const fail = (err: unknown) =>
      answer({ ok: false, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
    const handler = handlers[m.method];
    if (!handler) return fail(new Error(`no method "${m.method}"`));
    try {
      const value = (handler as (...a: unknown[]) => unknown)(...m.args);
      if (value instanceof Promise) value.then((v) => answer({ ok: true, value: v }), fail);
      else answer({ ok: true, value });
    } catch (err) {
      fail(err);
    }
  });
  port.postMessage(READY);
}
