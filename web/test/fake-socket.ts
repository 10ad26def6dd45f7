/**
 * A stand-in for a socket.io-client Socket: records what the client emits and lets a test play
 * the server (connect, acks, patches, disconnects) synchronously.
 */
type Handler = (...args: any[]) => void;

export interface Emitted {
  event: string;
  payload: any;
  ack?: (...args: any[]) => void;
  timeoutMs?: number;
}

export class FakeSocket {
  connected = false;
  recovered = false;
  active = true;
  emitted: Emitted[] = [];
  connectCalls = 0;
  private handlers = new Map<string, Handler[]>();
  private managerHandlers = new Map<string, Handler[]>();
  constructor(
    public url: string,
    public opts: Record<string, unknown>,
  ) {}

  io = {
    on: (ev: string, h: Handler) => {
      this.managerHandlers.set(ev, [...(this.managerHandlers.get(ev) ?? []), h]);
      return this.io;
    },
    removeAllListeners: () => this.managerHandlers.clear(),
  };

  on(ev: string, h: Handler) {
    this.handlers.set(ev, [...(this.handlers.get(ev) ?? []), h]);
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  emit(event: string, payload: any, ack?: Handler) {
    this.emitted.push({ event, payload, ack });
    return this;
  }
  timeout(ms: number) {
    return {
      emit: (event: string, payload: any, ack: Handler) => {
        this.emitted.push({ event, payload, ack, timeoutMs: ms });
        return this;
      },
    };
  }
  connect() {
    this.connectCalls++;
    return this;
  }
  disconnect() {
    this.connected = false;
    return this;
  }

  // ---- test side ----
  fire(ev: string, ...args: any[]) {
    for (const h of this.handlers.get(ev) ?? []) h(...args);
  }
  fireManager(ev: string, ...args: any[]) {
    for (const h of this.managerHandlers.get(ev) ?? []) h(...args);
  }
  serverConnect(recovered = false) {
    this.connected = true;
    this.recovered = recovered;
    this.fire('connect');
  }
  serverDisconnect(reason = 'transport close') {
    this.connected = false;
    this.fire('disconnect', reason);
  }
  /** Watch requests not answered yet, oldest first. */
  pendingWatches(): Emitted[] {
    return this.emitted.filter((e) => e.event === 'scope:watch' && !(e as any).answered);
  }
  /** Answers the latest unanswered `scope:watch` (as the server's ack, through the timeout wrapper). */
  answerWatch(res: unknown, which: 'latest' | 'oldest' = 'latest') {
    const list = this.pendingWatches();
    const e = which === 'latest' ? list[list.length - 1] : list[0];
    if (!e) throw new Error('no scope:watch to answer');
    (e as any).answered = true;
    e.ack?.(null, res);
    return e;
  }
}
