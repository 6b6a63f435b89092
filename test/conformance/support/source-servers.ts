/**
 * Servers built like the source systems themselves, before the protocol: they select no subprotocol (as
 * the original Express, Django Channels and FastAPI servers did not) and send the messages their source
 * documents show (test/fixtures/seeds/), nothing else.
 */
import fs from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import { endpointForPath, type EndpointName } from '../../../src/protocol/endpoints.js';
import { PROFILES } from '../../../src/protocol/profiles.js';
import { notFound, startUpgradeServer, type UpgradeServer } from './upgrade-server.js';

export type Source = '001' | '003' | '004';

interface FixtureMessage {
  endpoint: EndpointName;
  direction: 'server' | 'client';
  message: Record<string, unknown>;
}

const FIXTURES: Record<Source, string> = { '001': '001-campaigns', '003': '003-pilito', '004': '004-market' };

/** The source document's server messages for an endpoint, in the fixture's order. */
export function sourceMessages(source: Source, endpoint: EndpointName): Record<string, unknown>[] {
  const file = new URL(`../../fixtures/seeds/${FIXTURES[source]}.json`, import.meta.url);
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureMessage[];
  return all.filter((m) => m.endpoint === endpoint && m.direction === 'server').map((m) => m.message);
}

/** The token the Pilito-like server accepts; any other is refused with authentication_error and 4001. */
export const SOURCE_TOKEN = 'source-token';

export type SourceServer = UpgradeServer;

/** A server like source `source`: every endpoint of its system, speaking what its document shows. */
export async function startSourceServer(source: Source, everyMs: number): Promise<SourceServer> {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => false });
  const timers = new Set<ReturnType<typeof setInterval>>();
  return startUpgradeServer(wss, timers, (request, socket, head, url) => {
    const spec = endpointForPath(url.pathname);
    const system = PROFILES.find((p) => p.source === source);
    if (!spec || !system?.endpoints.includes(spec.name)) return notFound(socket);
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', () => {});
      speak(source, ws, sourceMessages(source, spec.name), url.searchParams.get('token'), everyMs, timers);
    });
  });
}

function speak(
  source: Source,
  ws: WebSocket,
  messages: Record<string, unknown>[],
  token: string | null,
  everyMs: number,
  timers: Set<ReturnType<typeof setInterval>>,
): void {
  const send = (message: unknown) => ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  if (source === '003' && token !== SOURCE_TOKEN) {
    send({
      type: 'authentication_error',
      message: 'Invalid or expired authentication token',
      error_code: 'AUTH_REQUIRED',
      timestamp: '2023-10-17T12:00:00Z',
    });
    ws.close(4001, 'Invalid token');
    return;
  }
  // Pilito greets first; the others start with their data. The campaign sender pings with bare text.
  if (source === '003') send(sourceMessages('003', 'conversations')[0]);
  const data = messages.filter(
    (m) => !['error', 'authentication_error', 'connection_established'].includes(String(m.type)),
  );
  for (const message of data) send(message);
  const repeat = source === '001' ? 'ping' : data[0];
  if (repeat === undefined) return;
  const timer = setInterval(() => send(repeat), everyMs);
  timers.add(timer);
  ws.on('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}
