/**
 * Servers built the way sources 001, 003 and 004 describe theirs, for the runner's diagnosis tests: what
 * each document shows (paths, message shapes, heartbeat, token handling) and nothing of Tidewire's
 * additions. Where a document is silent the server does the plainest thing its stack does by default
 * (the `ws` library answers RFC 6455 pings and close frames, and enforces UTF-8). Every timer is an
 * option, so tests run them with short periods.
 *
 * - 001 (campaign sender): `/ws/campaigns?campaignId&userId[&token]`, `{type, campaignId, data:{…, timestamp}}`
 *   messages, a bare text `ping` every period that the client answers with `pong`, subprotocol
 *   `campaign-updates`, a token in the query or the Authorization header; no `connection_established`.
 * - 003 (Pilito, Django Channels): `/ws/chat/`, `/ws/conversations/`, `/ws/customers/` with `?token=`;
 *   `connection_established {type, message, timestamp}` after accept; a bad or missing token gets
 *   `authentication_error` and close 4001; lists on connect and on `refresh_conversations`.
 * - 004 (market data, FastAPI + uvicorn): five endpoints, `{type, timestamp, data}` messages, requests in
 *   the `{action}` form, `{type:'ping'}` heartbeats, the RFC 6455 keepalive uvicorn runs; no
 *   `connection_established`, no token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { verifyToken } from '../../../src/server/token.js';

export interface SeedServer {
  url: string;
  close(): Promise<void>;
}

type Route = (ws: WebSocket, request: http.IncomingMessage, query: URLSearchParams) => void | Promise<void>;

/** An HTTP server that upgrades the listed paths (with or without a trailing slash) and 404s the rest. */
async function serveRoutes(
  routes: Record<string, Route>,
  handleProtocols: (offered: Set<string>) => string | false = () => false,
): Promise<SeedServer> {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, handleProtocols });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    const route = Object.entries(routes).find(([p]) => p.replace(/\/+$/, '') === path)?.[1];
    if (route === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      void route(ws, request, url.searchParams);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs `tick` every `periodMs` while the connection is open. */
function every(ws: WebSocket, periodMs: number, tick: () => void): void {
  const timer = setInterval(() => {
    if (ws.readyState === ws.OPEN) tick();
  }, periodMs);
  ws.on('close', () => clearInterval(timer));
}

const now = () => new Date().toISOString();

export interface Source001Options {
  /** Secret of the HS256 tokens it accepts (a token is optional). */
  tokenSecret: string;
  /** The period of its bare text `ping` (the document: 30 s). */
  pingIntervalMs: number;
}

/** Source 001's campaign WebSocket. */
export function startSource001Server(options: Source001Options): Promise<SeedServer> {
  const route: Route = async (ws, request, query) => {
    const campaignId = Number(query.get('campaignId'));
    const userId = Number(query.get('userId'));
    const header = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    const token = query.get('token') ?? header;
    if (token !== undefined && token !== null) {
      const verified = await verifyToken(options.tokenSecret, token);
      if ('error' in verified || Number(verified.userId) !== userId) {
        ws.close(1008, 'Unauthorized');
        return;
      }
    }
    if (!Number.isInteger(campaignId) || !Number.isInteger(userId) || campaignId < 1 || userId < 1) {
      ws.close(1008, 'campaignId and userId are required');
      return;
    }
    // A user must not see another user's campaign: campaign n belongs to user ((n - 1) % 10) + 1.
    if ((campaignId - 1) % 10 !== userId - 1) {
      ws.close(1008, 'Unauthorized access to campaign');
      return;
    }
    let sent = 45;
    const send = (type: string, data: Record<string, unknown>) =>
      ws.send(JSON.stringify({ type, campaignId, data: { ...data, timestamp: now() } }));
    send('campaign_update', {
      id: campaignId,
      title: 'کمپین تست',
      status: 'RUNNING',
      progress: { total: 100, sent, failed: 2, delivered: sent - 2 },
      startedAt: '2024-01-01T10:00:00Z',
      completedAt: null,
    });
    every(ws, options.pingIntervalMs, () => {
      ws.send('ping');
      sent = Math.min(100, sent + 1);
      send('progress_update', { progress: { sent, total: 100, current: '09123456789' } });
    });
  };
  return serveRoutes({ '/ws/campaigns': route }, (offered) =>
    offered.has('campaign-updates') ? 'campaign-updates' : false,
  );
}

export interface Source003Options {
  tokenSecret: string;
}

/** Source 003's three Django Channels consumers. */
export function startSource003Server(options: Source003Options): Promise<SeedServer> {
  const authenticated =
    (onAccept: (ws: WebSocket) => void): Route =>
    async (ws, _request, query) => {
      const token = query.get('token');
      const verified = token ? await verifyToken(options.tokenSecret, token) : { error: 'no token' };
      if ('error' in verified) {
        ws.send(
          JSON.stringify({
            type: 'authentication_error',
            message: 'Invalid or expired authentication token',
            error_code: 'AUTH_REQUIRED',
            timestamp: now(),
          }),
        );
        ws.close(4001, 'Authentication failed');
        return;
      }
      ws.send(
        JSON.stringify({
          type: 'connection_established',
          message: '✅ WebSocket connected successfully',
          timestamp: now(),
        }),
      );
      onAccept(ws);
    };
  const onJson = (ws: WebSocket, handle: (message: Record<string, unknown>) => void) =>
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        if (typeof message === 'object' && message !== null) handle(message);
      } catch {
        // The consumers ignore what they cannot parse.
      }
    });
  const conversations = () => ({
    type: 'conversations_list',
    conversations: [{ id: 12, title: 'Order #1182' }],
  });
  return serveRoutes({
    '/ws/chat/': authenticated((ws) =>
      onJson(ws, (message) => {
        // The document does not show a chat message; this is the shape its client components read.
        if (message.type === 'chat_message') {
          const conversationId = Number(message.conversationId);
          ws.send(
            JSON.stringify({
              type: 'chat_message',
              conversationId,
              message: {
                id: `m-${Date.now()}`,
                conversationId,
                senderId: '1',
                content: message.content,
                createdAt: now(),
              },
            }),
          );
        }
      }),
    ),
    '/ws/conversations/': authenticated((ws) => {
      ws.send(JSON.stringify(conversations()));
      onJson(ws, (message) => {
        if (message.type === 'refresh_conversations') ws.send(JSON.stringify(conversations()));
      });
    }),
    '/ws/customers/': authenticated((ws) => {
      ws.send(JSON.stringify({ type: 'customers_list', customers: [{ id: 7, name: 'Sara' }] }));
    }),
  });
}

export interface Source004Options {
  /** Period of `system_status` (the document: 5 s), of `price_update` (1 s) and of the other feeds. */
  feedIntervalMs: number;
  /** Period of its `{type:'ping'}` heartbeat and of uvicorn's RFC 6455 keepalive pings. */
  pingIntervalMs: number;
}

const PRICES: Record<string, number> = { BTC: 43250.5, ETH: 2250.25, SOL: 98.4 };

/** Source 004's five FastAPI endpoints. */
export function startSource004Server(options: Source004Options): Promise<SeedServer> {
  /**
   * One endpoint: its feed (sent at once, then every period), the heartbeats, and requests in the
   * `{action}` form answered by `onAction`.
   */
  const endpoint =
    (
      feed: (() => Record<string, unknown>) | undefined,
      onAction: (action: Record<string, unknown>, send: (value: object) => void) => void = () => {},
    ): Route =>
    (ws) => {
      const send = (value: object) => ws.send(JSON.stringify(value));
      const fail = (message: string) =>
        send({ type: 'error', timestamp: now(), error: { code: 'INTERNAL_ERROR', message } });
      if (feed) {
        send(feed());
        every(ws, options.feedIntervalMs, () => send(feed()));
      }
      every(ws, options.pingIntervalMs, () => {
        send({ type: 'ping', timestamp: now() });
        ws.ping();
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let request: Record<string, unknown>;
        try {
          request = JSON.parse(data.toString()) as Record<string, unknown>;
        } catch {
          fail('Invalid JSON');
          return;
        }
        if (request.type === 'ping') send({ type: 'pong', timestamp: now() });
        else if (typeof request.action === 'string') onAction(request, send);
        else fail('Unknown message');
      });
    };
  const priceUpdate = (symbol: string) => ({
    type: 'price_update',
    timestamp: now(),
    data: {
      symbol,
      price: PRICES[symbol] ?? 1,
      change_24h: 2.5,
      volume_24h: 25_000_000_000,
      timestamp: now(),
    },
    source: 'binance',
  });
  const marketData: Route = (ws, request, query) => {
    const symbols = new Set<string>();
    every(ws, options.feedIntervalMs, () =>
      symbols.forEach((symbol) => ws.send(JSON.stringify(priceUpdate(symbol)))),
    );
    return endpoint(undefined, (action, send) => {
      const wanted = Array.isArray(action.symbols) ? action.symbols.map(String) : [];
      if (action.action === 'subscribe') {
        for (const symbol of wanted) {
          symbols.add(symbol);
          send(priceUpdate(symbol));
        }
      } else if (action.action === 'unsubscribe') wanted.forEach((symbol) => symbols.delete(symbol));
      else if (action.action === 'get_all')
        Object.keys(PRICES).forEach((symbol) => send(priceUpdate(symbol)));
      else
        send({
          type: 'error',
          timestamp: now(),
          error: { code: 'INTERNAL_ERROR', message: 'Unknown action' },
        });
    })(ws, request, query);
  };
  return serveRoutes({
    '/api/monitoring/ws': endpoint(() => ({
      type: 'system_status',
      timestamp: now(),
      ai_models: { total: 18, available: 18, failed: 0, loading: 0, models: [] },
      database: { online: true, last_check: now(), ai_models_db: true, main_db: true },
      stats: { total_sources: 137, active_sources: 137, total_models: 18, available_models: 18 },
      agent_running: true,
    })),
    '/ws/market_data': marketData,
    '/ws/news': endpoint(
      () => ({
        type: 'news',
        timestamp: now(),
        data: { title: 'Bitcoin Reaches New All-Time High', source: 'CoinDesk', published_at: now() },
      }),
      // `{action:'filter', keywords}` narrows the feed; nothing is sent back.
      () => {},
    ),
    '/ws/sentiment': endpoint(() => ({
      type: 'sentiment_update',
      timestamp: now(),
      data: { fear_greed: { value: 75, classification: 'Extreme Greed', timestamp: now() } },
    })),
    '/ws/huggingface': endpoint(() => ({
      type: 'models_status',
      timestamp: now(),
      data: { total: 18, available: 18, loading: 0, failed: 0, models: [] },
    })),
  });
}
