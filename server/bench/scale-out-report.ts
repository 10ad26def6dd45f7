/** The tables and notes of the scale-out parts (scale-out.ts measures, run.ts prints). */
import { mark, section, type Row } from './lib/report.ts';
import { fmt } from './lib/stats.ts';
import type { NodeLogs, SideFigures, StoresFigures, TwoNodeFigures } from './scale-out.ts';

const perNode = (xs: number[]) => (xs.length > 1 ? xs.map((x) => fmt(x)).join(' / ') : '—');

function logCheck(l: StoresFigures['log']): string {
  const ok = l.stored === l.accepted && l.foldedByNode.every((f) => f === l.accepted);
  return ok
    ? `${fmt(l.accepted)} ✓`
    : `${fmt(l.accepted)} ✗ (log ${fmt(l.stored)}, folded ${l.foldedByNode.map((f) => fmt(f)).join(' / ')})`;
}

export function storesTable(runs: StoresFigures[], targetEventsPerS: number): string {
  const rows: Row<StoresFigures>[] = [
    ['events/s sustained', (f) => fmt(f.eventsPerSec) + mark(f.eventsPerSec >= targetEventsPerS), `≥ ${fmt(targetEventsPerS)}`],
    ['events/s by node (A / B)', (f) => perNode(f.eventsPerSecByNode)],
    ['batch latency p50 / p99 (ms)', (f) => `${fmt(f.batchLatencyMs.p50)} / ${fmt(f.batchLatencyMs.p99)}`],
    ['server CPU, all nodes (% of one core)', (f) => fmt(f.serverCpuPct) + (f.nodes > 1 ? ` (${perNode(f.serverCpuPctByNode)})` : '')],
    ['server CPU per 1,000 events, all nodes (ms)', (f) => fmt(f.serverCpuMsPer1000, 1)],
    ['PostgreSQL CPU (% of one core)', (f) => fmt(f.postgresCpuPct)],
    ['PostgreSQL CPU per 1,000 events (ms)', (f) => fmt(f.postgresCpuMsPer1000, 1)],
    [
      'servers + PostgreSQL per 1,000 events (ms)',
      (f) => fmt(f.serverCpuMsPer1000 + (Number.isFinite(f.postgresCpuMsPer1000) ? f.postgresCpuMsPer1000 : 0), 1),
    ],
    ['generator CPU (% of one core)', (f) => fmt(f.generatorCpuPct)],
    ['other processes CPU (% of one core)', (f) => fmt(f.otherCpuPct)],
    ['events accepted = in the log = folded by each node', (f) => logCheck(f.log)],
    ['measured seconds / batches in flight', (f) => `${fmt(f.seconds, 1)} / ${f.concurrency}`],
  ];
  const f0 = runs[0];
  return section(`Ingest by store (${fmt(f0.batchSize)}/batch)`, runs, (f) => f.label, rows);
}

interface Cell {
  run: TwoNodeFigures;
  side: SideFigures;
}

export function twoNodeTable(runs: TwoNodeFigures[], tickMs: number, targetBMs: number): string {
  const cells: Cell[] = runs.flatMap((run) => run.sides.map((side) => ({ run, side })));
  const onA = (cell: (f: TwoNodeFigures) => string) => (c: Cell) => (c.side.node === 'A' ? cell(c.run) : '');
  const pair = (s: { p50: number; p99: number }) => `${fmt(s.p50)} / ${fmt(s.p99)}`;
  const rows: Row<Cell>[] = [
    ['latency p50 (ms)', (c) => fmt(c.side.stats.latencyMs.p50)],
    [
      'latency p99 (ms)',
      (c) => fmt(c.side.stats.latencyMs.p99) + (c.side.node === 'B' ? mark(c.side.stats.latencyMs.p99 <= targetBMs) : ''),
      `≤ ${targetBMs} on B`,
    ],
    ['latency max (ms)', (c) => fmt(c.side.stats.latencyMs.max)],
    ['first client per marker p50 / p99 (ms)', (c) => pair(c.side.stats.firstClientMs)],
    ['last client per marker p50 / p99 (ms)', (c) => pair(c.side.stats.lastClientMs)],
    ['first client per marker, mean (ms)', (c) => fmt(c.side.stats.firstClientMs.mean)],
    ['hop through the log, B − A of that mean (ms)', (c) => (c.side.node === 'B' ? fmt(c.run.bMinusAMeanMs) : '')],
    ['markers missed / (client, marker) pairs missed', (c) => `${c.side.stats.markersMissed} / ${fmt(c.side.stats.missingPairs)}`, '0 / 0'],
    ['clients that got every marker', (c) => `${fmt(c.side.stats.clientsWithEveryMarker * 100, 1)} %`, '100 %'],
    ['time between patches p50 / max (ms)', (c) => `${fmt(c.side.patchIntervalMs.p50)} / ${fmt(c.side.patchIntervalMs.max)}`, `${tickMs}`],
    ['patch gaps / disconnects', (c) => `${c.side.gaps} / ${c.side.disconnects}`],
    ['connect all clients (s)', (c) => fmt(c.side.connectSeconds, 2)],
    ['node CPU (% of one core)', (c) => fmt(c.side.serverCpuPct)],
    ['node RSS connected / end (MiB)', (c) => `${fmt(c.side.serverRssMiB.connected)} / ${fmt(c.side.serverRssMiB.end)}`],
    [
      'clients processes / their CPU (% of one core)',
      (c) => `${c.side.clientsProcesses} / ${fmt(c.side.clientsCpuPct)}${c.side.clientsElu >= 0.9 ? ' (saturated)' : ''}`,
    ],
    [
      'events folded by the node (of accepted)',
      (c) => `${fmt(c.run.log.foldedByNode[c.side.node === 'A' ? 0 : 1])} / ${fmt(c.run.log.accepted)}`,
    ],
    ['markers accepted by A', onA((f) => `${f.markersAccepted} of ${f.markersSent}`)],
    ['marker stored on A (ack) p50 / p99 (ms)', onA((f) => pair(f.ackMs))],
    ['background load on A (events/s)', onA((f) => fmt(f.backgroundEventsPerSec))],
    [
      'generator / PostgreSQL / Redis CPU (% of one core)',
      onA((f) => `${fmt(f.generatorCpuPct)} / ${fmt(f.postgresCpuPct)} / ${fmt(f.redisCpuPct)}`),
    ],
    ['other processes CPU (% of one core)', onA((f) => fmt(f.otherCpuPct))],
  ];
  return section(`Ingest on A → patch, two nodes (TICK_MS ${tickMs})`, cells, (c) => `${fmt(c.side.clients)} on ${c.side.node}`, rows);
}

function logNotes(what: string, logs: NodeLogs): string[] {
  return logs.map(
    (l) =>
      `${what}: node ${l.node} wrote ${l.lines} line${l.lines === 1 ? '' : 's'} to its log (warnings or errors), first:\n      ${l.first.join('\n      ')}`,
  );
}

export function scaleOutNotes(stores: StoresFigures[], twoNode: TwoNodeFigures[]): string[] {
  const notes: string[] = [];
  for (const f of stores) {
    const l = f.log;
    if (l.stored !== l.accepted || l.foldedByNode.some((n) => n !== l.accepted))
      notes.push(
        `${f.label}: ${fmt(l.accepted)} events accepted, but the log holds ${fmt(l.stored)} and the nodes folded ${l.foldedByNode.map((n) => fmt(n)).join(' / ')} (after ${fmt(l.foldMs / 1000, 1)} s).`,
      );
    if (f.otherCpuPct >= 20)
      notes.push(
        `${f.label}: other processes on this machine used ${fmt(f.otherCpuPct)} % of a core during the run: the figures are depressed.`,
      );
    if (f.generatorCpuPct >= 85) notes.push(`${f.label}: the generator used ${fmt(f.generatorCpuPct)} % of a core: it may be the limit.`);
    if (f.nodes === 1 && f.setup !== 'sqlite' && !Number.isFinite(f.postgresCpuPct))
      notes.push(`${f.label}: PostgreSQL's processes are not on this machine (or not readable): its CPU is not measured.`);
    notes.push(...logNotes(f.label, f.nodeLogs));
  }
  for (const f of twoNode) {
    const what = `two nodes, ${fmt(f.clients)} clients`;
    if (f.log.foldedByNode.some((n) => n !== f.log.accepted))
      notes.push(
        `${what}: ${fmt(f.log.accepted)} events accepted by A; the nodes folded ${f.log.foldedByNode.map((n) => fmt(n)).join(' / ')}.`,
      );
    if (f.otherCpuPct >= 20) notes.push(`${what}: other processes on this machine used ${fmt(f.otherCpuPct)} % of a core during the run.`);
    for (const s of f.sides)
      if (s.clientsElu >= 0.9)
        notes.push(
          `${what}: a clients process of ${s.node} was saturated: its latencies include its queueing; "first client" is the server-side figure.`,
        );
    if (f.backgroundSkipped > 0) notes.push(`${what}: ${f.backgroundSkipped} background batches skipped because node A was behind.`);
    notes.push(...logNotes(what, f.nodeLogs));
  }
  return notes;
}
