/**
 * A small server that speaks just enough of the protocol for the source-dialect checks (SRC-001 …
 * SRC-006): `tidewire.v1` with `connection_established` to clients that offer it, and the source dialects
 * of the campaign, monitoring and conversations endpoints to the others; `/ws/notifications/` speaks
 * `tidewire.v1` to every client (its source system spoke Socket.IO). Its `manner` changes how it
 * sends, in ways the protocol permits (key order, whitespace, extra fields, fragmented frames, latency);
 * `leak` makes one dialect send a type its source never had (or, with the type `dialect`, makes
 * `/ws/notifications/` speak a dialect: no `connection_established`).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { endpointForPath, type EndpointName } from '../../../src/protocol/endpoints.js';
import { PROFILE_NAMES } from '../../../src/protocol/profiles.js';
import { notFound, startUpgradeServer, type UpgradeServer } from './upgrade-server.js';

export interface PeerManner {
  /** `type` is sent last instead of first. */
  typeLast?: boolean;
  /** JSON with newlines and indentation. */
  indented?: boolean;
  /** Fields no schema names. */
  extraFields?: boolean;
  /** Every message split over two frames (a text frame and a continuation). */
  fragmented?: boolean;
  /** Every message sent this late (order kept). */
  latencyMs?: number;
}

export type DialectPeer = UpgradeServer;

const HEARTBEAT_INTERVAL_MS = 200;
const STATUS_EVERY_MS = 50;

export async function startDialectPeer(
  options: { manner?: PeerManner; leak?: { endpoint: EndpointName; type: string } } = {},
): Promise<DialectPeer> {
  const manner = options.manner ?? {};
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has('tidewire.v1') ? 'tidewire.v1' : ([...offered][0] ?? false)),
  });
  const timers = new Set<ReturnType<typeof setInterval>>();
  return startUpgradeServer(wss, timers, (request, socket, head, url) => {
    const spec = endpointForPath(url.pathname);
    if (!spec) return notFound(socket);
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      const peer = new PeerConnection(ws, spec.name, manner, timers, options.leak);
      peer.start(ws.protocol === 'tidewire.v1', url.searchParams.get('campaignId'));
    });
  });
}

class PeerConnection {
  private queue: Promise<void> = Promise.resolve();
  private seq = 0;
  private tidewire = false;
  private campaignId = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly endpoint: EndpointName,
    private readonly manner: PeerManner,
    private readonly timers: Set<ReturnType<typeof setInterval>>,
    private readonly leak: { endpoint: EndpointName; type: string } | undefined,
  ) {}

  start(tidewire: boolean, campaignId: string | null): void {
    this.tidewire = tidewire || (this.endpoint === 'notifications' && !this.leaks('dialect'));
    this.campaignId = Number(campaignId);
    if (this.tidewire || this.endpoint === 'conversations' || this.leaks('connection_established')) {
      this.send({
        type: 'connection_established',
        message: '✅ WebSocket connected successfully',
        sessionId: `peer-${Math.random().toString(36).slice(2)}`,
        protocolVersion: '1.0',
        heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
        heartbeatTimeoutMs: 1_000,
        resumeWindowMs: 1_000,
        maxMessageBytes: 65_536,
        rateLimit: { maxMessages: 100, windowMs: 60_000 },
        auth: { mode: 'optional', userId: '1' },
        profiles: PROFILE_NAMES,
      });
    }
    if (this.endpoint === 'campaigns') {
      this.data({
        type: 'campaign_update',
        campaignId: this.campaignId,
        data: { id: 1, status: 'RUNNING' },
      });
    }
    if (this.endpoint === 'conversations') this.data({ type: 'conversations_list', conversations: [] });
    if (this.endpoint === 'notifications') this.data({ type: 'notification_new', notification: {} });
    if (this.endpoint === 'monitoring')
      this.every(STATUS_EVERY_MS, () => this.data({ type: 'system_status', stats: {} }));
    this.every(HEARTBEAT_INTERVAL_MS, () => {
      this.ws.ping();
      // The campaign endpoint's application ping is source 001's bare text frame, in either tongue.
      if (this.endpoint === 'campaigns') this.sendRaw('ping');
      else if (this.tidewire || this.leaks('ping')) this.send({ type: 'ping' });
    });
    this.ws.on('message', (raw) => this.receive(raw.toString()));
  }

  private receive(text: string): void {
    if (text === 'ping') return this.sendRaw('pong');
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const speaksAll = this.tidewire;
    if (message.type === 'ping' && (speaksAll || this.leaks('pong')))
      this.send({ type: 'pong', id: message.id });
    else if (message.type === 'refresh_conversations' || message.type === 'get_campaign') {
      if (message.type === 'get_campaign')
        this.data({ type: 'campaign_update', campaignId: this.campaignId, data: {} });
      else this.data({ type: 'conversations_list', conversations: [] });
      if (message.id !== undefined && (speaksAll || this.leaks('ack')))
        this.send({ type: 'ack', id: message.id, ok: true });
    } else if (message.type !== 'ping' && (speaksAll || this.leaks('error'))) {
      this.send({ type: 'error', error: { code: 'UNKNOWN_TYPE', message: 'unknown type' } });
    }
  }

  private leaks(type: string): boolean {
    return this.leak?.endpoint === this.endpoint && this.leak.type === type;
  }

  private data(message: Record<string, unknown>): void {
    this.seq += 1;
    this.send({ ...message, seq: this.seq });
  }

  private send(message: Record<string, unknown>): void {
    const stamped: Record<string, unknown> = { ...message, timestamp: new Date().toISOString() };
    if (this.manner.extraFields) stamped.servedBy = 'peer';
    const ordered = this.manner.typeLast
      ? {
          ...Object.fromEntries(Object.entries(stamped).filter(([key]) => key !== 'type')),
          type: stamped.type,
        }
      : stamped;
    this.sendRaw(JSON.stringify(ordered, null, this.manner.indented ? 2 : undefined));
  }

  private sendRaw(text: string): void {
    this.queue = this.queue.then(async () => {
      if (this.manner.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.manner.latencyMs));
      if (this.ws.readyState !== this.ws.OPEN) return;
      if (!this.manner.fragmented) return this.ws.send(text);
      const middle = Math.floor(text.length / 2);
      this.ws.send(text.slice(0, middle), { fin: false });
      this.ws.send(text.slice(middle), { fin: true });
    });
  }

  private every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    this.timers.add(timer);
    this.ws.once('close', () => {
      clearInterval(timer);
      this.timers.delete(timer);
    });
  }
}
