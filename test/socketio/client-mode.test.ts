/**
 * Client mode for Socket.IO clients (`binding: 'socket.io'`): a socket.io-client set up as source 002
 * sets its own up (5 attempts, rooms re-joined on a fresh session) passes CR-002, CR-003 and CR-007, and a
 * client that breaks one of them fails exactly that one.
 */
import { describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { runClientConformance } from '../../src/conformance/client-mode/index.js';
import type { ClientHandle, StartClient } from '../../src/conformance/client-mode/types.js';
import { scaled } from '../support/timing.js';

/** The client's reconnect timers: socket.io-client's defaults (1 s to 5 s) times this. */
const DELAY_SCALE = 0.02;
const RUN_DEADLINE_MS = scaled(60_000);

interface ClientBehaviour {
  /** socket.io-client's reconnectionAttempts (source 002: 5). */
  attempts?: number;
  /** Re-join rooms on a fresh session (source 002's rejoinRooms). */
  rejoins?: boolean;
  /** Connect again by hand after a refused token. */
  retriesRefusedToken?: boolean;
}

/** A socket.io-client on /chat, joining conversation 12 on every fresh session. */
function client(behaviour: ClientBehaviour = {}): StartClient {
  return async (url, scenario): Promise<ClientHandle> => {
    let joined = false;
    const socket: Socket = io(`${url}/chat`, {
      auth: { token: 'a token' },
      forceNew: true,
      transports: ['websocket'],
      reconnectionAttempts: behaviour.attempts ?? 5,
      reconnectionDelay: 1_000 * scenario.delayScale,
      reconnectionDelayMax: 5_000 * scenario.delayScale,
    });
    socket.on('connect', () => {
      if (socket.recovered || (joined && behaviour.rejoins === false)) return;
      joined = true;
      socket.emit('chat:join', { conversationId: 12 });
    });
    socket.on('connect_error', () => {
      if (behaviour.retriesRefusedToken) setTimeout(() => socket.connect(), 1_000 * scenario.delayScale);
    });
    return {
      stop: async () => {
        socket.io.reconnection(false);
        socket.disconnect();
      },
    };
  };
}

async function run(startClient: StartClient) {
  const report = await runClientConformance({ binding: 'socket.io', startClient, delayScale: DELAY_SCALE });
  return Object.fromEntries(report.checks.map((check) => [check.id, check.outcome]));
}

describe('client mode for Socket.IO clients', { timeout: RUN_DEADLINE_MS }, () => {
  it('passes a client set up as source 002 sets its own up', async () => {
    expect(await run(client())).toEqual({ 'CR-002': 'pass', 'CR-003': 'pass', 'CR-007': 'pass' });
  });

  it('fails CR-002 for a client that never stops reconnecting', async () => {
    expect(await run(client({ attempts: Infinity }))).toMatchObject({ 'CR-002': 'fail', 'CR-003': 'pass' });
  });

  it('fails CR-003 for a client that connects again after its token was refused', async () => {
    // Its retry also answers the refused handshakes of CR-002's scenario: it fails that one too.
    expect(await run(client({ retriesRefusedToken: true }))).toMatchObject({
      'CR-003': 'fail',
      'CR-007': 'pass',
    });
  });

  it('reports the checks an interruption stopped as cancelled and exits 130 for SIGINT', async () => {
    const interrupt = new AbortController();
    const report = await runClientConformance({
      binding: 'socket.io',
      only: ['CR-003'],
      // A client that never connects: the check waits for it until the run is interrupted.
      startClient: async () => {
        setImmediate(() => interrupt.abort('SIGINT'));
        return { stop: async () => {} };
      },
      connectTimeoutMs: 3_600_000,
      signal: interrupt.signal,
    });
    expect(report.checks.map((c) => [c.id, c.outcome, c.message])).toEqual([
      ['CR-003', 'cancelled', 'the run was interrupted'],
    ]);
    expect(report.exitCode).toBe(130);
  });

  it('fails CR-007 for a client that does not re-join its rooms on a fresh session', async () => {
    expect(await run(client({ rejoins: false }))).toEqual({
      'CR-002': 'pass',
      'CR-003': 'pass',
      'CR-007': 'fail',
    });
  });
});
