/**
 * What a page's JS heap holds, by kind: takes a heap snapshot over CDP and adds up the objects'
 * own sizes. Used by wall-soak.ts to tell the code V8 compiles (which grows as functions tier up)
 * from the data the app keeps (which must not grow).
 */
import type { CDPSession } from 'playwright-core';

export interface HeapBreakdown {
  /** Compiled code and what goes with it: bytecode, machine code, feedback, function metadata. */
  code: number;
  /** The app's data: objects, arrays, closures, strings, numbers, maps (hidden classes)… */
  data: number;
  /** Outside the JS heap figure: the browser's own objects (DOM, layout, text shaping) and array buffers' contents. */
  outside: number;
}

/** V8's own objects show as "native" too; array buffers' contents are not in the JS heap. */
const inJsHeap = (type: string, name: string) =>
  type !== 'synthetic' && (type !== 'native' || (name.startsWith('system / ') && name !== 'system / JSArrayBufferData'));

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

export function breakdownOf(snap: Snapshot): HeapBreakdown {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out: HeapBreakdown = { code: 0, data: 0, outside: 0 };
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    const size = snap.nodes[i + sizeAt];
    if (type === 'code') out.code += size;
    else if (inJsHeap(type, snap.strings[snap.nodes[i + nameAt]])) out.data += size;
    else out.outside += size;
  }
  return out;
}

export async function takeBreakdown(cdp: CDPSession): Promise<HeapBreakdown> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return breakdownOf(JSON.parse(chunks.join('')) as Snapshot);
}
