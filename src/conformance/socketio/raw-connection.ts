/**
 * One Engine.IO connection spoken packet by packet over the `websocket` transport, for the checks about
 * the wire: the open packet, ping timing, CONNECT and CONNECT_ERROR data, acknowledgement ids, `pid` and
 * offsets. Every packet sent and received goes into the check's transcript; every event received is
 * validated against its schema (SIO-011).
 */
import WebSocket from 'ws';
import { waitAnsweredBy } from '../check-failure.js';
import { CONNECT_TIMEOUT_MS, PROBE_CLOSE_TIMEOUT_MS } from '../probe.js';
import { PROBE_MAX_PAYLOAD_BYTES } from '../runner-limits.js';
import {
  decodeEnginePacket,
  describePacket,
  encodeSocketPacket,
  EngineType,
  SocketType,
  type EnginePacket,
  type SocketPacket,
} from './packets.js';
import type { SocketIoProbeEnvironment } from './probe-environment.js';
import { WaitQueue } from './wait-queue.js';

export interface ReceivedPacket {
  /** ms since the check started. */
  at: number;
  packet: EnginePacket;
}

export interface RawConnectOptions {
  /** Answer the server's pings (default true). */
  autoPong?: boolean;
  headers?: Record<string, string>;
}

export class RawEngineConnection {
  readonly id: number;
  /** The open packet's data; rejects (CheckFailure) when the handshake fails. */
  readonly opened: Promise<Record<string, unknown>>;
  readonly packets: WaitQueue<ReceivedPacket>;
  private readonly ws: WebSocket;
  private closedAt: number | undefined;
  private openAt: number | undefined;

  constructor(
    private readonly env: SocketIoProbeEnvironment,
    options: RawConnectOptions = {},
  ) {
    this.id = env.nextConnectionNumber();
    this.packets = new WaitQueue(env.signal, env.timeoutScale);
    const url = env.engineUrl('websocket');
    this.log('sent', 'http', `GET ${url.replace(/^ws/, 'http')}`);
    const { transport } = env;
    this.ws = new WebSocket(url, {
      headers: { ...transport.headers, ...options.headers },
      maxPayload: PROBE_MAX_PAYLOAD_BYTES,
      // As on the WebSocket endpoints, the runner offers no compression.
      perMessageDeflate: false,
      ...(transport.ca !== undefined ? { ca: transport.ca } : {}),
      rejectUnauthorized: !transport.insecure,
    });
    this.ws.on('unexpected-response', (_request, response) => {
      this.log('received', 'http', `${response.statusCode} ${response.statusMessage ?? ''}`.trim());
      response.resume();
      this.packets.end(`HTTP ${response.statusCode} instead of 101`);
      this.ws.terminate();
    });
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary, options));
    this.ws.on('error', (error) => {
      this.log('event', 'error', error.message);
      this.packets.end(`connection error: ${error.message}`);
    });
    this.ws.on('close', (code) => {
      this.closedAt = this.log('event', 'close', `transport closed (${code})`);
      this.packets.end('the transport closed');
    });
    this.opened = this.packets
      .next((item) => item.packet.kind !== 'noop', CONNECT_TIMEOUT_MS, `an Engine.IO open packet on ${url}`)
      .then((item) => {
        if (item.packet.kind !== 'open') {
          throw waitAnsweredBy('an Engine.IO open packet', describeEngine(item.packet));
        }
        this.openAt = item.at;
        return item.packet.data as Record<string, unknown>;
      });
    this.opened.catch(() => {});
  }

  /** When the open packet arrived (ms since the check started), once it has. */
  get openedAtMs(): number | undefined {
    return this.openAt;
  }

  /** When the transport closed (ms since the check started), once it has. */
  get closedAtMs(): number | undefined {
    return this.closedAt;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends CONNECT for a namespace, with `data` (the `auth` of socket.io-client) when given. */
  connect(namespace: string, data?: Record<string, unknown>): void {
    this.sendSocket({ type: SocketType.CONNECT, namespace, id: undefined, data });
  }

  /** The CONNECT or CONNECT_ERROR answering a CONNECT to `namespace`. */
  async connectAnswer(namespace: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<SocketPacket> {
    const item = await this.nextSocket(
      (p) =>
        p.namespace === namespace && (p.type === SocketType.CONNECT || p.type === SocketType.CONNECT_ERROR),
      timeoutMs,
      `CONNECT or CONNECT_ERROR for ${namespace}`,
    );
    return item.packet;
  }

  /** Emits an event (with an acknowledgement id when `ackId` is given). */
  emit(namespace: string, event: string, payload: unknown, ackId?: number): void {
    const data = payload === undefined ? [event] : [event, payload];
    this.sendSocket({ type: SocketType.EVENT, namespace, id: ackId, data });
  }

  /** The next Socket.IO packet that matches. */
  nextSocket(
    match: (packet: SocketPacket) => boolean,
    timeoutMs: number,
    expected: string,
  ): Promise<{ at: number; packet: SocketPacket }> {
    return this.packets
      .next((item) => item.packet.kind === 'socket' && match(item.packet.packet), timeoutMs, expected)
      .then((item) => ({ at: item.at, packet: (item.packet as { packet: SocketPacket }).packet }));
  }

  /** The next event `event` on `namespace`: its arguments. */
  async nextEvent(
    namespace: string,
    event: string,
    timeoutMs: number,
  ): Promise<{ at: number; args: unknown[] }> {
    const { at, packet } = await this.nextSocket(
      (p) => p.type === SocketType.EVENT && p.namespace === namespace && eventName(p) === event,
      timeoutMs,
      `event ${event} on ${namespace}`,
    );
    return { at, args: (packet.data as unknown[]).slice(1) };
  }

  /** The time of the next ping packet. */
  async nextPing(timeoutMs: number, expected: string): Promise<number> {
    const item = await this.packets.next((i) => i.packet.kind === 'ping', timeoutMs, expected);
    return item.at;
  }

  /** Resolves with the time the transport closed, or fails when it is still open after `timeoutMs`. */
  async closed(timeoutMs: number, expected: string): Promise<number> {
    try {
      await this.packets.next(() => false, timeoutMs, expected);
    } catch (error) {
      if (this.closedAt !== undefined) return this.closedAt;
      throw error;
    }
    return this.closedAt ?? this.env.now();
  }

  sendPong(): void {
    this.sendText(EngineType.PONG);
  }

  /** Drops the TCP connection without a close, as a network failure would. */
  terminate(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.log('sent', 'close', 'TCP connection dropped');
    this.ws.terminate();
  }

  dispose(): void {
    this.packets.dispose();
    const ws = this.ws;
    if (ws.readyState === WebSocket.OPEN) {
      ws.close(1000);
      setTimeout(() => ws.terminate(), PROBE_CLOSE_TIMEOUT_MS).unref();
    } else if (ws.readyState === WebSocket.CONNECTING) {
      ws.terminate();
    }
  }

  private sendSocket(packet: SocketPacket): void {
    this.sendText(encodeSocketPacket(packet), describePacket(packet));
  }

  private sendText(text: string, shown = text): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.log('event', 'note', `not sent (transport not open): ${shown}`);
      return;
    }
    this.log('sent', 'text', shown);
    this.ws.send(text);
  }

  private onMessage(data: Buffer, isBinary: boolean, options: RawConnectOptions): void {
    const text = data.toString('utf8');
    const at = this.log('received', isBinary ? 'binary' : 'text', text);
    const packet = decodeEnginePacket(text);
    if (packet.kind === 'socket') {
      this.log('event', 'note', describePacket(packet.packet));
      if (packet.packet.type === SocketType.EVENT) {
        const [event, ...args] = packet.packet.data as unknown[];
        this.env.inspectEvent(packet.packet.namespace, String(event), args);
      }
    }
    if (packet.kind === 'ping' && options.autoPong !== false) this.sendPong();
    this.packets.push({ at, packet });
  }

  private log(direction: 'sent' | 'received' | 'event', kind: string, data: string): number {
    return this.env.transcript.add(this.id, direction, kind, data);
  }
}

export function eventName(packet: SocketPacket): string | undefined {
  const data = packet.data;
  return Array.isArray(data) && data.length > 0 ? String(data[0]) : undefined;
}

function describeEngine(packet: EnginePacket): string {
  if (packet.kind === 'socket') return describePacket(packet.packet);
  if (packet.kind === 'invalid') return `${JSON.stringify(packet.text)} (${packet.reason})`;
  return `${packet.kind} packet`;
}
