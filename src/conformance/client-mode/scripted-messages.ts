/**
 * The messages a scripted endpoint sends: the control messages of every endpoint and one plausible data
 * message per endpoint, shaped like the reference server's so that a typed client accepts them.
 */
import { AUTH_REQUIRED, CloseCode, ErrorCode, PROTOCOL_VERSION } from '../../protocol/constants.js';
import type { EndpointSpec } from '../../protocol/endpoints.js';
import type { AdvertisedTimers } from '../types.js';

/** Client messages that establish a subscription or a room membership, re-sent after a fresh session (CR-007). */
export const SUBSCRIPTION_TYPES: ReadonlySet<string> = new Set([
  'subscribe',
  'filter',
  'chat_join',
  'project_join',
  'notifications_subscribe',
]);

/** The error that precedes a scripted close; 4xxx closes always get one (CL-001). */
export interface ScriptedError {
  code: string;
  message: string;
  retryAfterMs?: number;
}

/** Error codes a real server sends before each 4xxx close, so that a scripted close looks like the real one. */
export const ERROR_BEFORE_CLOSE: Readonly<Record<number, ScriptedError>> = {
  [CloseCode.UNAUTHORIZED]: { code: AUTH_REQUIRED, message: 'Invalid or expired authentication token' },
  [CloseCode.BAD_REQUEST]: { code: ErrorCode.BAD_REQUEST, message: 'campaignId is required' },
  [CloseCode.FORBIDDEN]: { code: ErrorCode.FORBIDDEN, message: 'this scope belongs to another user' },
  [CloseCode.NOT_FOUND]: { code: ErrorCode.NOT_FOUND, message: 'unknown campaign or conversation' },
  [CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE]: {
    code: ErrorCode.SUBPROTOCOL_NOT_ACCEPTABLE,
    message: 'none of the offered subprotocols is supported',
  },
  [CloseCode.SESSION_TAKEN_OVER]: {
    code: ErrorCode.SESSION_TAKEN_OVER,
    message: 'session taken over by a newer connection',
  },
};

type Json = Record<string, unknown>;

function now(): string {
  return new Date().toISOString();
}

export function connectionEstablished(
  spec: EndpointSpec,
  sessionId: string,
  timers: AdvertisedTimers,
  resumed: boolean,
): Json {
  return {
    type: 'connection_established',
    message: '✅ WebSocket connected successfully',
    timestamp: now(),
    sessionId,
    protocolVersion: PROTOCOL_VERSION,
    endpoint: spec.name,
    heartbeatIntervalMs: timers.heartbeatIntervalMs,
    heartbeatTimeoutMs: timers.heartbeatTimeoutMs,
    resumeWindowMs: timers.resumeWindowMs,
    maxMessageBytes: timers.maxMessageBytes,
    rateLimit: timers.rateLimit,
    auth: { mode: 'optional', userId: null },
    ...(resumed ? { resumed: true } : {}),
  };
}

export function resumedMessage(sessionId: string, replayed: number, lastSeq: number): Json {
  return { type: 'resumed', timestamp: now(), sessionId, replayed, lastSeq };
}

export function resumeFailedMessage(reason: string, sessionId: string): Json {
  return { type: 'resume_failed', timestamp: now(), reason, sessionId };
}

/** The message sent right before a scripted close: `authentication_error` for 4001, `error` otherwise. */
export function errorBeforeClose(closeCode: number, error: ScriptedError): Json {
  if (closeCode === CloseCode.UNAUTHORIZED) {
    return {
      type: 'authentication_error',
      message: error.message,
      error_code: AUTH_REQUIRED,
      timestamp: now(),
      closeCode,
    };
  }
  return {
    type: 'error',
    timestamp: now(),
    error: {
      code: error.code,
      message: error.message,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      // `closeCode` names 4xxx closes only (CL-001); a 1013 is announced by the close frame itself.
      ...(closeCode >= 4000 ? { closeCode } : {}),
    },
  };
}

export function ackMessage(id: unknown): Json {
  return { type: 'ack', id, ok: true, timestamp: now() };
}

export function pongMessage(id: unknown): Json {
  return { type: 'pong', timestamp: now(), ...(id === undefined ? {} : { id }) };
}

/** One data message of the endpoint, numbered `seq`; `scopeId` is the campaign or conversation in the query. */
export function dataMessage(spec: EndpointSpec, seq: number, scopeId: number): Json {
  const timestamp = now();
  const envelope = { seq, timestamp };
  switch (spec.name) {
    case 'campaigns':
      return {
        type: 'campaign_update',
        campaignId: scopeId,
        ...envelope,
        data: {
          id: scopeId,
          title: 'Scripted campaign',
          status: 'RUNNING',
          progress: { total: 100, sent: seq, failed: 0, delivered: seq },
          startedAt: timestamp,
          completedAt: null,
          timestamp,
        },
      };
    case 'chat':
      return { type: 'user_joined', ...envelope, userId: '2', conversationId: scopeId };
    case 'conversations':
      return { type: 'conversations_list', ...envelope, conversations: [] };
    case 'customers':
      return { type: 'customers_list', ...envelope, customers: [] };
    case 'notifications':
      return {
        type: 'notification_new',
        ...envelope,
        notification: {
          id: `n${seq}`,
          title: 'Scripted',
          body: 'Scripted',
          kind: 'info',
          read: false,
          createdAt: timestamp,
        },
      };
    case 'projects':
      return { type: 'user_joined', ...envelope, userId: '2', projectId: scopeId };
    case 'monitoring':
      return {
        type: 'system_status',
        ...envelope,
        ai_models: { total: 0, available: 0 },
        data_sources: {},
        database: { status: 'ok' },
        stats: {},
        agent_running: true,
      };
    case 'market_data':
      return {
        type: 'price_update',
        ...envelope,
        data: {
          symbol: 'BTC',
          price: 50_000 + seq,
          change_24h: 0,
          change_7d: 0,
          volume_24h: 0,
          market_cap: 0,
          timestamp,
        },
        source: 'scripted',
      };
    case 'news':
      return {
        type: 'news',
        ...envelope,
        data: {
          title: `Scripted news ${seq}`,
          description: 'Scripted',
          url: 'https://example.com/news',
          source: 'scripted',
          published_at: timestamp,
          sentiment: 'neutral',
          sentiment_score: 0,
          image_url: null,
        },
      };
    case 'sentiment':
      return {
        type: 'sentiment_update',
        ...envelope,
        data: {
          fear_greed: { value: 50, classification: 'Neutral', timestamp },
          social: {
            twitter: { sentiment: 'neutral', score: 0, mentions: 0 },
            reddit: { sentiment: 'neutral', score: 0, mentions: 0 },
          },
          market: { overall: 'neutral', confidence: 0.5 },
        },
      };
    case 'huggingface':
      return {
        type: 'models_status',
        ...envelope,
        data: { total: 0, available: 0, loading: 0, failed: 0, models: [] },
      };
  }
}
