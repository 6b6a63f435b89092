/**
 * Small deterministic endpoint handlers for the server tests: the protocol core is tested against these,
 * and the tests emit data messages on demand instead of waiting for simulated sources.
 */
import { ErrorCode } from '../../../src/protocol/constants.js';
import type { EndpointName } from '../../../src/protocol/endpoints.js';
import {
  RequestError,
  type EndpointHandler,
  type IncomingRequest,
  type OutgoingData,
  type ScopeRefusal,
  type SessionContext,
} from '../../../src/server/endpoint-handler.js';

export const KNOWN_SCOPE_IDS = 1000;
export const ownerOf = (id: number): string => String(((id - 1) % 10) + 1);

export interface TestEndpoints {
  handlers: Partial<Record<EndpointName, EndpointHandler>>;
  /** Open handler sessions by session id. */
  sessions: Map<string, SessionContext>;
  /** Ids of sessions whose handler `close` ran. */
  closedSessions: string[];
  /** Every request a handler processed (to count effects). */
  handled: IncomingRequest[];
  /** Emits a data message to every open session of an endpoint. */
  emit(endpoint: EndpointName, message: OutgoingData): void;
}

export function createTestEndpoints(): TestEndpoints {
  const sessions = new Map<string, SessionContext>();
  const closedSessions: string[] = [];
  const handled: IncomingRequest[] = [];

  const base = (
    onOpen: (session: SessionContext) => void,
    onRequest: (session: SessionContext, request: IncomingRequest) => unknown,
    checkScope?: EndpointHandler['checkScope'],
  ): EndpointHandler => ({
    checkScope,
    open(session) {
      sessions.set(session.sessionId, session);
      onOpen(session);
    },
    handle(session, request) {
      handled.push(request);
      return onRequest(session, request);
    },
    close(session) {
      sessions.delete(session.sessionId);
      closedSessions.push(session.sessionId);
    },
  });

  const campaignSnapshot = (session: SessionContext): OutgoingData => {
    const campaignId = Number(session.params.campaignId);
    const timestamp = new Date().toISOString();
    return {
      type: 'campaign_update',
      campaignId,
      data: {
        id: campaignId,
        title: `Campaign ${campaignId}`,
        status: 'RUNNING',
        progress: { total: 10, sent: 1, failed: 0, delivered: 1 },
        startedAt: timestamp,
        completedAt: null,
        timestamp,
      },
    };
  };

  const handlers: Partial<Record<EndpointName, EndpointHandler>> = {
    campaigns: base(
      (session) => session.emit(campaignSnapshot(session)),
      (session) => session.emit(campaignSnapshot(session)),
      (params, userId) => scopeOf(Number(params.campaignId), userId ?? params.userId, 'campaign'),
    ),
    chat: base(
      () => {},
      (session, request) => {
        if (request.type !== 'chat_message') return undefined;
        const conversationId = request.conversationId as number;
        if (ownerOf(conversationId) !== session.userId) {
          throw new RequestError(
            ErrorCode.FORBIDDEN,
            `conversation ${conversationId} belongs to another user`,
          );
        }
        const messageId = handled.length;
        session.emit({
          type: 'chat_message',
          conversationId,
          message: { id: messageId, content: request.content },
        });
        return { messageId };
      },
      (params, userId) =>
        params.conversationId === undefined
          ? undefined
          : scopeOf(Number(params.conversationId), userId, 'conversation'),
    ),
    conversations: base(
      (session) => session.emit({ type: 'conversations_list', conversations: [] }),
      (session) => session.emit({ type: 'conversations_list', conversations: [] }),
    ),
    market_data: base(
      (session) => {
        session.state.symbols = [];
      },
      (session, request) => {
        const current = new Set(session.state.symbols as string[]);
        const symbols = (request.symbols as string[] | undefined) ?? [];
        if (request.type === 'subscribe') symbols.forEach((s) => current.add(s));
        if (request.type === 'unsubscribe') symbols.forEach((s) => current.delete(s));
        session.state.symbols = [...current];
        return { symbols: [...current] };
      },
    ),
    news: base(
      () => {},
      () => undefined,
    ),
    monitoring: base(
      () => {},
      () => undefined,
    ),
  };

  return {
    handlers,
    sessions,
    closedSessions,
    handled,
    emit(endpoint, message) {
      for (const session of sessions.values()) if (session.endpoint === endpoint) session.emit(message);
    },
  };
}

function scopeOf(id: number, userId: string | null, what: string): ScopeRefusal | undefined {
  if (id > KNOWN_SCOPE_IDS)
    return { closeCode: 4404, code: ErrorCode.NOT_FOUND, message: `unknown ${what} ${id}` };
  if (ownerOf(id) !== userId)
    return { closeCode: 4403, code: ErrorCode.FORBIDDEN, message: `${what} ${id} belongs to another user` };
  return undefined;
}
