/**
 * Per-message deflate (RFC 7692) at the cost of one compression per broadcast, not one per socket.
 *
 * Socket.IO encodes a broadcast once and hands every socket the same WebSocket frame. Its own
 * per-message deflate instead compresses again for each socket, in each socket's own context: at
 * 1,000 screens that cost about a third of a core more and queued patches behind zlib (see
 * docs/benchmarks.md). Here the server imposes `server_no_context_takeover` at the handshake, so
 * that a message compresses to the same bytes whoever receives it; the adapter's frame encoder
 * compresses each broadcast once; and each websocket whose negotiation allows it is sent that
 * compressed frame. ws itself never compresses (its threshold is infinite), so nothing else is
 * queued behind zlib and frames leave in the order they were sent. Snapshots (acknowledgements,
 * one per socket) go uncompressed. Browsers and socket.io-client inflate on their own: the payload
 * a client's code sees is unchanged.
 *
 * This reaches into Socket.IO's adapter (`_encode`) and engine.io's websocket transport (`send`,
 * `socket._sender`): a transport or adapter that does not look as expected is left alone, and its
 * sockets get uncompressed frames, as without this module. server/test/live-deflate.test.ts fails
 * when the frames stop being compressed.
 */
import { deflateRawSync, constants } from 'node:zlib';
import type { Namespace, Server, ServerOptions } from 'socket.io';

/** Engine.io's websocket options: negotiate deflate, never compress per socket, no shared context. */
export const DEFLATE_NEGOTIATION: NonNullable<ServerOptions['perMessageDeflate']> = {
  threshold: Infinity,
  serverNoContextTakeover: true,
};

/** Messages shorter than this go as they are (a tick, an acknowledgement: deflate would not pay). */
export const DEFLATE_MIN_BYTES = 200;

const WINDOW_BITS = 15;

/** A WebSocket text frame (RFC 6455 §5.2) from the server: unmasked, final, `rsv1` marking it compressed. */
function textFrame(payload: Buffer, rsv1: boolean): Buffer[] {
  const n = payload.length;
  const head = Buffer.alloc(n < 126 ? 2 : n < 65536 ? 4 : 10);
  head[0] = 0x80 | (rsv1 ? 0x40 : 0) | 0x01;
  if (n < 126) head[1] = n;
  else if (n < 65536) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return [head, payload];
}

/** The compressed payload of a message, as RFC 7692 §7.2.1 sends it (sync flush, the 4 octets 00 00 ff ff removed). */
export function deflateMessage(data: Buffer): Buffer {
  const out = deflateRawSync(data, { level: 9, memLevel: 9, windowBits: WINDOW_BITS, finishFlush: constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}

const PATCHED = Symbol('deflate-once');

type Frame = Buffer[];
interface PacketOptions {
  /** false when the emit asked for no compression (`socket.compress(false)`). */
  compress?: boolean;
  wsPreEncodedFrame?: Frame;
  wsPreCompressedFrame?: Frame;
}
interface EnginePacket {
  options?: PacketOptions;
}
/** The parts of engine.io's websocket transport this module uses. */
interface WsTransport {
  name: string;
  writable: boolean;
  send(packets: EnginePacket[]): void;
  supportsBinary: boolean;
  parser: { encodePacket(p: EnginePacket, binary: boolean, cb: (data: unknown) => void): void };
  _onSent: (err?: Error) => void;
  _onSentLast: (err?: Error) => void;
  _doSend: (data: unknown) => void;
  _doSendLast: (data: unknown) => void;
  socket?: {
    _sender?: { sendFrame(frame: Frame, cb: (err?: Error) => void): void };
    _extensions?: Record<string, { params?: Record<string, unknown> } | undefined>;
  };
  [PATCHED]?: true;
}

/** Whether this socket's negotiation lets it take the shared compressed frames. */
function takesSharedFrames(t: WsTransport): boolean {
  const params = t.socket?._extensions?.['permessage-deflate']?.params;
  if (!params?.server_no_context_takeover) return false;
  const bits = params.server_max_window_bits;
  return bits === undefined || bits === true || (typeof bits === 'number' && bits >= WINDOW_BITS);
}

function patchTransport(t: WsTransport): void {
  if (t.name !== 'websocket' || t[PATCHED]) return;
  const sender = t.socket?._sender;
  const usable =
    typeof sender?.sendFrame === 'function' &&
    typeof t.parser?.encodePacket === 'function' &&
    [t._onSent, t._onSentLast, t._doSend, t._doSendLast].every((f) => typeof f === 'function');
  if (!usable) return;
  t[PATCHED] = true;
  const compressed = takesSharedFrames(t);
  // engine.io's own send, choosing the broadcast's frame: compressed where this socket negotiated it
  t.send = function send(this: WsTransport, packets: EnginePacket[]): void {
    this.writable = false;
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i];
      const last = i + 1 === packets.length;
      const frame = (compressed && p.options?.wsPreCompressedFrame) || p.options?.wsPreEncodedFrame;
      if (frame) sender!.sendFrame(frame, last ? this._onSentLast : this._onSent);
      else this.parser.encodePacket(p, this.supportsBinary, last ? this._doSendLast : this._doSend);
    }
  };
}

/**
 * Compresses the namespace's broadcasts once each, for every socket that negotiated deflate; the
 * server must have been made with `perMessageDeflate: DEFLATE_NEGOTIATION`.
 */
export function deflateOnce(io: Server, nsp: Namespace, minBytes = DEFLATE_MIN_BYTES): void {
  const adapter = nsp.adapter as unknown as { _encode?: (packet: unknown, opts: PacketOptions) => unknown[] };
  const encode = adapter._encode;
  if (typeof encode !== 'function') return;
  adapter._encode = function (packet: unknown, opts: PacketOptions): unknown[] {
    const encoded = encode.call(this, packet, opts);
    // the adapter made a frame for every socket: make the compressed one beside it
    const wanted = opts.compress !== false && opts.wsPreEncodedFrame !== undefined;
    if (wanted && encoded.length === 1 && typeof encoded[0] === 'string' && encoded[0].length >= minBytes) {
      const data = Buffer.from('4' + encoded[0]); // "4": an engine.io message, as the adapter frames it
      const packed = deflateMessage(data);
      if (packed.length < data.length) opts.wsPreCompressedFrame = textFrame(packed, true);
    }
    return encoded;
  };
  const engine = io.engine as unknown as {
    on(e: 'connection', l: (conn: { transport: WsTransport; on(e: 'upgrade', l: (t: WsTransport) => void): void }) => void): void;
  };
  engine.on('connection', (conn) => {
    patchTransport(conn.transport);
    conn.on('upgrade', (t) => patchTransport(t));
  });
}
