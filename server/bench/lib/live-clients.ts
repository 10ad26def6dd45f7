/**
 * The websocket clients of a latency run: groups of clients (one group per server they connect
 * to), each split over clients processes of at most `perProcess`; and what their arrival times
 * say about the markers.
 */
import type { ChildProcess } from 'node:child_process';
import { forkTs, Mailbox, stop } from './proc.ts';
import type { ClientsConfig, ClientsReady, ClientsReport, MarkerSent } from './protocol.ts';
import { roundSummary } from './report.ts';
import { summarize, type Summary } from './stats.ts';

export interface ClientsGroup {
  url: string;
  clients: number;
}

interface ClientsProc {
  child: ChildProcess;
  box: Mailbox;
  group: number;
  /** Clients in this process, and the group's index of its first one. */
  size: number;
  offset: number;
}

export interface Fleet {
  procs: ClientsProc[];
  /** Per group: clients connected and failed, and the slowest process's time to connect them. */
  ready: { connected: number; failed: number; connectMs: number }[];
}

/** Starts every group's clients processes at once; resolves when each has connected its clients. */
export async function startClients(
  script: string,
  root: string,
  groups: ClientsGroup[],
  perProcess: number,
  markerPrefix: string,
  /** Whether the clients offer per-message deflate (the peers part: bytes as a browser gets them). */
  deflate = false,
): Promise<Fleet> {
  const procs: ClientsProc[] = [];
  groups.forEach((g, group) => {
    const n = g.clients > 0 ? Math.ceil(g.clients / perProcess) : 0;
    let offset = 0;
    for (let k = 0; k < n; k++) {
      const size = Math.floor(g.clients / n) + (k < g.clients % n ? 1 : 0);
      const cfg: ClientsConfig = {
        url: g.url,
        clients: size,
        scope: 'district:440310',
        markerPrefix,
        wave: 50,
        connectTimeoutMs: 20_000,
        deflate,
      };
      const child = forkTs(script, cfg, root);
      procs.push({ child, box: new Mailbox(child, 'a clients process'), group, size, offset });
      offset += size;
    }
  });
  const readies = await Promise.all(procs.map((p) => p.box.next<ClientsReady>('ready', 120_000)));
  const ready = groups.map((_, group) => {
    const rs = readies.filter((_, k) => procs[k].group === group);
    return {
      connected: rs.reduce((a, r) => a + r.connected, 0),
      failed: rs.reduce((a, r) => a + r.failed, 0),
      connectMs: Math.max(0, ...rs.map((r) => r.connectMs)),
    };
  });
  return { procs, ready };
}

/** Asks every clients process for its report, then stops them; reports in the order of `fleet.procs`. */
export async function collectReports(fleet: Fleet): Promise<ClientsReport[]> {
  for (const p of fleet.procs) p.child.send({ cmd: 'report' });
  const reps = await Promise.all(fleet.procs.map((p) => p.box.next<ClientsReport>('report', 60_000)));
  await Promise.all(fleet.procs.map((p) => stop(p.child)));
  return reps;
}

/** When client `i` of `group` saw marker `id` (epoch ms), or null. */
export function arrivalOf(fleet: Fleet, reps: ClientsReport[], group: number) {
  const mine = fleet.procs.map((p, k) => ({ p, rep: reps[k] })).filter((x) => x.p.group === group);
  return (id: string, i: number): number | null => {
    const x = mine.find((m) => i >= m.p.offset && i < m.p.offset + m.p.size);
    return x?.rep.arrivals[id]?.[i - x.p.offset] ?? null;
  };
}

export interface MarkerStats {
  /** Every (client, marker) pair: arrival − send. */
  latencyMs: Summary;
  /** Per marker, the first client to see it (server + network, least client queueing). */
  firstClientMs: Summary;
  /** Per marker, the last client to see it (includes queueing in the clients process). */
  lastClientMs: Summary;
  /** (client, marker) pairs never seen, of the accepted markers. */
  missingPairs: number;
  /** Markers at least one client never saw. */
  markersMissed: number;
  /** Share of clients that saw every accepted marker (0…1). */
  clientsWithEveryMarker: number;
}

export function markerStats(accepted: MarkerSent[], clients: number, arrival: (id: string, i: number) => number | null): MarkerStats {
  const all: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const gotAll = new Array<boolean>(clients).fill(true);
  let missing = 0;
  let markersMissed = 0;
  for (const m of accepted) {
    let lo = Infinity;
    let hi = -Infinity;
    let missed = false;
    for (let i = 0; i < clients; i++) {
      const t = arrival(m.id, i);
      if (t === null) {
        missing++;
        missed = true;
        gotAll[i] = false;
        continue;
      }
      const l = t - m.sentAt;
      all.push(l);
      lo = Math.min(lo, l);
      hi = Math.max(hi, l);
    }
    if (missed) markersMissed++;
    if (lo !== Infinity) {
      first.push(lo);
      last.push(hi);
    }
  }
  return {
    latencyMs: roundSummary(summarize(all)),
    firstClientMs: roundSummary(summarize(first)),
    lastClientMs: roundSummary(summarize(last)),
    missingPairs: missing,
    markersMissed,
    clientsWithEveryMarker: clients ? Math.round((gotAll.filter(Boolean).length / clients) * 10_000) / 10_000 : NaN,
  };
}
