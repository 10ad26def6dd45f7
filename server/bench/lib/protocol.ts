/**
 * Messages between the orchestrator (run.ts) and its child processes over the Node IPC channel.
 * Children get their settings as one JSON argument and report results as messages.
 */

export interface ThroughputConfig {
  mode: 'throughput';
  /** Servers to post to: each batch goes to the next one in turn (one node, or several sharing a log). */
  urls: string[];
  /** Producer API key sent with every batch. */
  apiKey: string;
  prefix: string;
  batchSize: number;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  geojson: string;
}

export interface LatencyConfig {
  mode: 'latency';
  url: string;
  apiKey: string;
  prefix: string;
  /** Events per second of background load, sent in batches every `backgroundIntervalMs`. */
  backgroundRate: number;
  backgroundIntervalMs: number;
  markerIntervalMs: number;
  warmupSeconds: number;
  seconds: number;
  geojson: string;
}

export type GeneratorConfig = ThroughputConfig | LatencyConfig;

export interface CpuFigures {
  /** CPU time (user + system) used in the measured window, ms. */
  cpuMs: number;
  wallMs: number;
  /** Event-loop utilisation in the window (0…1): near 1 means the process was saturated. */
  elu: number;
}

export interface ThroughputResult {
  type: 'throughput-result';
  batchSize: number;
  concurrency: number;
  batches: number;
  events: number;
  /** Events accepted in the window by each of `urls`, in order. */
  eventsPerUrl: number[];
  /** Every event accepted, warm-up included: what the log should hold afterwards. */
  totalEvents: number;
  wallMs: number;
  latenciesMs: number[];
  failures: string[];
  cpu: CpuFigures;
  bytesSent: number;
}

export interface MarkerSent {
  id: string;
  sentAt: number;
  ackAt: number;
  ok: boolean;
}

export interface LatencyGenResult {
  type: 'latency-result';
  markers: MarkerSent[];
  backgroundEvents: number;
  backgroundBatches: number;
  backgroundSkipped: number;
  /** Every event accepted, warm-up included (background and markers). */
  totalEvents: number;
  wallMs: number;
  failures: string[];
  cpu: CpuFigures;
}

/** Sent by the generator when its measured window opens and closes, so the parent can sample the server. */
export interface WindowMark {
  type: 'window';
  edge: 'start' | 'end';
  at: number;
}

export type GeneratorMessage = ThroughputResult | LatencyGenResult | WindowMark | { type: 'error'; message: string };

export interface ClientsConfig {
  url: string;
  clients: number;
  scope: string;
  markerPrefix: string;
  /** Connections opened at once while connecting. */
  wave: number;
  connectTimeoutMs: number;
  /**
   * Offer per-message deflate, as browsers do, and inflate what arrives compressed. Node's inflate
   * goes through the thread pool for every message of every client, several times a browser's
   * cost: off where the clients process should load the machine as little as possible.
   */
  deflate: boolean;
}

export interface ClientsReady {
  type: 'ready';
  connected: number;
  connectMs: number;
  failed: number;
}

/** Counters of a clients (or pollers) process at one moment, on `{ cmd: 'mark' }`: figures over a window are differences. */
export interface ClientsMark {
  type: 'mark';
  /** Epoch ms. */
  at: number;
  /** Bytes every client received from the server so far, on the wire (frames or HTTP responses, headers included). */
  bytes: number;
  /** This process's CPU so far (user + system, ms). */
  cpuMs: number;
  /** Messages (live: socket.io packets; polling: responses) received so far, all clients. */
  messages: number;
  /** Client 0's received payload bytes so far by what they carried (live: event or patch key; polling: response). */
  bytesByKind: Record<string, number>;
}

export interface ClientsReport {
  type: 'report';
  /** marker id → arrival time (epoch ms) per client index, null when that client never saw it. */
  arrivals: Record<string, (number | null)[]>;
  patches: number;
  gaps: number;
  disconnects: number;
  patchBytes: number;
  /** Receive times (epoch ms) of every patch on client 0. */
  patchTimes: number[];
  cpu: CpuFigures;
  /** Patches whose edits did not fit what the client held (each followed by a fresh snapshot). */
  mismatches: number;
}

export type ClientsMessage = ClientsReady | ClientsReport | ClientsMark | { type: 'error'; message: string };
export type ClientsCommand = { cmd: 'report' } | { cmd: 'mark' };

/** A process of polling clients (pollers.ts): each GETs the scope's REST snapshot every `intervalMs`. */
export interface PollersConfig {
  url: string;
  clients: number;
  scope: string;
  intervalMs: number;
  markerPrefix: string;
}

export interface PollersReport {
  type: 'report';
  /** marker id → first time (epoch ms) each client saw it in a response's `recent`, null when never. */
  arrivals: Record<string, (number | null)[]>;
  /** Request → full response, ms, every request in the process's life (after ready). */
  responseMs: number[];
  /** Polls not sent because the client's previous request was still waiting. */
  skipped: number;
  failures: number;
  cpu: CpuFigures;
}

export type PollersMessage = ClientsReady | PollersReport | ClientsMark | { type: 'error'; message: string };
