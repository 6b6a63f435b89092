/**
 * Socket.IO detection: a Socket.IO server answers the Engine.IO v4 long-polling handshake
 * `GET /socket.io/?EIO=4&transport=polling` with an open packet, `0{"sid":…,"pingInterval":…}`. One plain
 * HTTP(S) request, with the run's headers and TLS trust, tells the preflight whether the target speaks it.
 */
import http from 'node:http';
import https from 'node:https';
import { urlUnderTarget } from './probe-request.js';
import { httpUrlOf } from './reachability.js';
import type { EngineIoOpen, TargetTransport } from './types.js';

export const ENGINE_IO_PATH = '/socket.io/';
/** An open packet is a few hundred bytes; more is not one. */
const MAX_ANSWER_BYTES = 16 * 1024;
/** Engine.IO's packet type of the open packet, and the separator of packets in a polling payload. */
const OPEN_PACKET = '0';
const RECORD_SEPARATOR = '\u001e';

export type EngineIoAnswer = { found: true; open: EngineIoOpen } | { found: false; detail: string };

/** Asks the target for an Engine.IO v4 open packet. Never rejects: a failure is `found: false`. */
export function probeEngineIo(
  targetUrl: string,
  transport: TargetTransport,
  timeoutMs: number,
): Promise<EngineIoAnswer> {
  const url = urlUnderTarget(httpUrlOf(new URL(targetUrl)).toString(), ENGINE_IO_PATH);
  url.searchParams.set('EIO', '4');
  url.searchParams.set('transport', 'polling');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.get(url, {
      headers: { ...transport.headers },
      ...(transport.ca !== undefined ? { ca: transport.ca } : {}),
      rejectUnauthorized: !transport.insecure,
    });
    // One deadline for the whole exchange: a peer may answer 101, trickle bytes or never answer.
    const timer = setTimeout(
      () => settle({ found: false, detail: `no answer within ${Math.round(timeoutMs)} ms` }),
      timeoutMs,
    );
    let settled = false;
    function settle(answer: EngineIoAnswer): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(answer);
    }
    request.once('error', (error) => settle({ found: false, detail: error.message }));
    request.once('upgrade', (response, socket) => {
      socket.destroy();
      settle({ found: false, detail: `HTTP ${response.statusCode}` });
    });
    request.once('response', (response) => {
      if (response.statusCode !== 200) {
        settle({ found: false, detail: `HTTP ${response.statusCode}` });
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_ANSWER_BYTES)
          settle({ found: false, detail: 'an answer too long for an open packet' });
      });
      response.once('end', () => {
        const open = parseOpenPacket(body);
        settle(open ? { found: true, open } : { found: false, detail: 'HTTP 200 without an open packet' });
      });
      response.once('error', (error) => settle({ found: false, detail: error.message }));
    });
  });
}

/** The open packet of an Engine.IO v4 polling payload, if the payload starts with a valid one. */
function parseOpenPacket(payload: string): EngineIoOpen | undefined {
  const first = payload.split(RECORD_SEPARATOR)[0];
  if (!first.startsWith(OPEN_PACKET) || first.length > MAX_ANSWER_BYTES) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(first.slice(OPEN_PACKET.length));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const open = json as Record<string, unknown>;
  const numbers = [open.pingInterval, open.pingTimeout, open.maxPayload];
  if (typeof open.sid !== 'string' || !numbers.every((n) => typeof n === 'number')) return undefined;
  return {
    sid: open.sid,
    upgrades: Array.isArray(open.upgrades) ? open.upgrades.map(String) : [],
    pingInterval: open.pingInterval as number,
    pingTimeout: open.pingTimeout as number,
    maxPayload: open.maxPayload as number,
  };
}
