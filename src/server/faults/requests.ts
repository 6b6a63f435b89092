/**
 * Wire faults about requests and the rate limit, too large for one line of the fault table: they keep a
 * little state per connection (ids seen, refused replies, a message counter) and rewrite what goes in and
 * out around the untouched core.
 */
import { randomUUID } from 'node:crypto';
import type { RequestMemory } from '../core/request-memory.js';
import { errorOf, jsonOf, type WireConnection, type WireFault, type WireHooks } from './wire.js';

type Json = Record<string, unknown>;
type RequestId = string | number;

const RATE_LIMIT_CLOSE = 4429;

function requestIdOf(message: Json | undefined): RequestId | undefined {
  const id = message?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

const keyOf = (id: RequestId) => `${typeof id}:${id}`;

/**
 * Makes the core take some requests for new ones: `fresh` decides, for each message with an id, whether
 * its id is replaced by one never seen (so the core processes it instead of answering from memory); the
 * reply's id is put back.
 */
export function aliasIds(fresh: (message: Json, state: { resumed: boolean }) => boolean): WireFault {
  return () => {
    const state = { resumed: false };
    const aliases = new Map<string, RequestId>();
    return {
      sendText: (text) => {
        const message = jsonOf(text);
        if (message?.type === 'connection_established') state.resumed = message.resumed === true;
        const id = message?.id;
        if (
          typeof id !== 'string' ||
          !aliases.has(id) ||
          (message?.type !== 'ack' && message?.type !== 'error')
        ) {
          return [text];
        }
        const original = aliases.get(id) as RequestId;
        aliases.delete(id);
        return [JSON.stringify({ ...message, id: original })];
      },
      receiveText: (text) => {
        const message = jsonOf(text);
        const id = requestIdOf(message);
        if (!message || id === undefined || message.type === 'ping' || message.type === 'pong') return text;
        if (!fresh(message, state)) return text;
        const alias = `alias-${randomUUID()}`;
        aliases.set(alias, id);
        return JSON.stringify({ ...message, id: alias });
      },
    };
  };
}

/** ACK-005: on a resumed connection, a request id not yet used on this connection is processed again. */
export function memoryLostOnResume(): WireFault {
  return (connection) => {
    const used = new Set<string>();
    return aliasIds((message, state) => {
      const key = keyOf(requestIdOf(message) as RequestId);
      const first = !used.has(key);
      used.add(key);
      return state.resumed && first;
    })(connection);
  };
}

/** ACK-007: a remembered id on a message of another type is taken for a new request. */
export function memoryPerType(): WireFault {
  return (connection) => {
    const typeOfId = new Map<string, unknown>();
    return aliasIds((message) => {
      const key = keyOf(requestIdOf(message) as RequestId);
      const type = message.type ?? message.action;
      if (!typeOfId.has(key)) typeOfId.set(key, type);
      return typeOfId.get(key) !== type;
    })(connection);
  };
}

/** ACK-008: the refusal of a message that was never processed is remembered and given to its id again. */
export const REFUSED_REMEMBERED: WireFault = (connection) => {
  const refusals = new Map<string, string>();
  return {
    sendText: (text) => {
      const message = jsonOf(text);
      const code = errorOf(message)?.code;
      const id = requestIdOf(message);
      if (id !== undefined && (code === 'INVALID_MESSAGE' || code === 'UNKNOWN_TYPE')) {
        refusals.set(keyOf(id), text);
      }
      return [text];
    },
    receiveText: (text) => {
      const id = requestIdOf(jsonOf(text));
      const refusal = id === undefined ? undefined : refusals.get(keyOf(id));
      if (refusal === undefined) return text;
      connection.transport.sendText(refusal);
      return undefined;
    },
  };
};

/** ACK-006: request memory keyed by the id's text alone, so `"7"` and `7` are one request. */
export function idTypeBlind(memory: RequestMemory): RequestMemory {
  const untyped = (key: string) => key.slice(key.indexOf(':') + 1);
  return {
    recall: (key) => memory.recall(untyped(key)),
    remember: (key, frames) => memory.remember(untyped(key), frames),
  };
}

/** A `RATE_LIMITED` error as the core writes one, stamped now. */
function rateLimited(
  connection: WireConnection,
  text: string,
  retryAfterMs: number,
  closeCode?: number,
): string {
  const id = requestIdOf(jsonOf(text));
  return JSON.stringify({
    type: 'error',
    ...(id !== undefined ? { id } : {}),
    error: {
      code: 'RATE_LIMITED',
      message: `more than ${connection.settings.rateLimit.maxMessages} messages`,
      retryAfterMs: Math.max(1, Math.round(retryAfterMs)),
      ...(closeCode !== undefined ? { closeCode } : {}),
    },
    timestamp: new Date(connection.clock.now()).toISOString(),
  });
}

/**
 * Counts client text frames in windows of `windowMs` as the protocol does, except that a window with
 * `resets: false` never ends; `onCount` decides what happens to each frame from its count.
 */
function countMessages(
  connection: WireConnection,
  resets: boolean,
  onCount: (text: string, count: number, retryAfterMs: number) => string | undefined,
): WireHooks {
  const { windowMs } = connection.settings.rateLimit;
  let startedAt = Number.NEGATIVE_INFINITY;
  let count = 0;
  return {
    receiveText: (text) => {
      const now = connection.clock.now();
      if (count === 0 || (resets && now - startedAt >= windowMs)) {
        startedAt = now;
        count = 0;
      }
      count += 1;
      return onCount(text, count, startedAt + windowMs - now);
    },
  };
}

/**
 * RL-006: messages over the limit get their RATE_LIMITED error and are processed all the same (the
 * core's policy processes them; this decorator sends the errors).
 */
export const REFUSED_BUT_PROCESSED: WireFault = (connection) => {
  const { maxMessages } = connection.settings.rateLimit;
  return countMessages(connection, true, (text, count, retryAfterMs) => {
    if (count > maxMessages && count <= 2 * maxMessages) {
      connection.transport.sendText(rateLimited(connection, text, retryAfterMs));
    }
    return text;
  });
};

/** RL-008: the window that the first message opened never ends; the core never sees what is refused. */
export const WINDOW_NEVER_ENDS: WireFault = (connection) => {
  const { maxMessages } = connection.settings.rateLimit;
  let closed = false;
  return countMessages(connection, false, (text, count, retryAfterMs) => {
    if (closed) return undefined;
    if (count <= maxMessages) return text;
    if (count <= 2 * maxMessages) {
      connection.transport.sendText(rateLimited(connection, text, retryAfterMs));
      return undefined;
    }
    closed = true;
    connection.transport.sendText(rateLimited(connection, text, retryAfterMs, RATE_LIMIT_CLOSE));
    connection.transport.close(RATE_LIMIT_CLOSE, 'rate limit exceeded repeatedly');
    return undefined;
  });
};

/** RL-007: the close 4429 comes a moment late, and messages that arrive meanwhile are answered. */
export function answersWhileClosing(delayMs: number): WireFault {
  return (connection) => {
    let closing = false;
    return {
      close: (code, reason) => {
        if (code !== RATE_LIMIT_CLOSE) return false;
        closing = true;
        connection.clock.setTimeout(() => connection.transport.close(code, reason), delayMs);
        return true;
      },
      receiveText: (text) => {
        if (closing) connection.transport.sendText(rateLimited(connection, text, 1));
        return text;
      },
    };
  };
}
