import { ErrorCode } from '../../protocol/constants.js';
import {
  RequestError,
  type EndpointHandler,
  type IncomingRequest,
  type OutgoingData,
  type SessionContext,
} from '../endpoint-handler.js';
import { AI_SENDER_ID, type ChatMessage, type ContentType } from '../sources/chat-store.js';
import { BaseCadenceMs, scaledMs } from '../sources/cadence.js';
import { badRequest, forbidden, idField, notFound, parseIdParam, requestType, unknownType } from './scope.js';
import {
  deliverTo,
  endSession,
  follow,
  isEnded,
  subscriptionsOf,
  type Follow,
} from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const CONTENT_TYPES: readonly ContentType[] = ['text', 'image', 'file'];
const ROOM_PREFIX = 'room:';

/**
 * `/ws/chat/[?conversationId=]` (seeds 002 and 003): conversation rooms. Messages go to every member of the
 * room including the sender, typing and read receipts to the others; each user message gets a simulated
 * AI reply a moment later.
 */
export function chatHandler(sources: SimulationSources): EndpointHandler & { follow: Follow } {
  const { chat, conversationRooms, conversationLists, customerLists, aiReplies } = sources;
  const aiReplyDelayMs = scaledMs(BaseCadenceMs.aiReply, sources.speed);

  /** The conversation a request names, if it exists (NOT_FOUND) and belongs to the user (FORBIDDEN). */
  function ownConversation(session: SessionContext, request: IncomingRequest): number {
    const conversationId = idField(request, 'conversationId');
    if (!chat.conversationExists(conversationId)) {
      throw new RequestError(ErrorCode.NOT_FOUND, `conversation ${conversationId} does not exist`);
    }
    if (chat.ownerOfConversation(conversationId) !== session.userId) {
      throw new RequestError(ErrorCode.FORBIDDEN, `conversation ${conversationId} belongs to another user`);
    }
    return conversationId;
  }

  const roomKey = (conversationId: number) => `${ROOM_PREFIX}${conversationId}`;
  const isMember = (session: SessionContext, conversationId: number) =>
    subscriptionsOf(session).has(roomKey(conversationId));
  const followRoom: Follow = (session, key) => {
    const conversationId = Number(key.slice(ROOM_PREFIX.length));
    return key.startsWith(ROOM_PREFIX) && chat.conversationExists(conversationId)
      ? conversationRooms.subscribe(conversationId, deliverTo(session))
      : undefined;
  };

  function join(session: SessionContext, conversationId: number): void {
    const joined = follow(session, roomKey(conversationId), followRoom);
    if (joined) {
      conversationRooms.publish(
        conversationId,
        { type: 'user_joined', userId: session.userId, conversationId },
        session.sessionId,
      );
    }
  }

  /** To the room, and to the sender directly when it writes to a conversation it has not joined. */
  function deliver(session: SessionContext, conversationId: number, message: OutgoingData): void {
    conversationRooms.publish(conversationId, message);
    if (!isMember(session, conversationId) && !isEnded(session)) session.emit(message);
  }

  /** The conversation and its customer changed: the owner's conversation and customer lists hear of it. */
  async function announceChange(conversationId: number): Promise<void> {
    const owner = chat.ownerOfConversation(conversationId);
    const [conversation, customer] = await Promise.all([
      chat.conversation(conversationId),
      chat.customer(conversationId),
    ]);
    conversationLists.publish(owner, { type: 'conversation_updated', conversation: { ...conversation } });
    customerLists.publish(owner, { type: 'customer_updated', customer: { ...customer } });
  }

  /** The simulated customer reads the message, then the AI answers it. */
  async function aiReply(session: SessionContext, conversationId: number, messageId: number): Promise<void> {
    const read = await chat.setStatus(conversationId, messageId, 'read');
    if (read)
      deliver(session, conversationId, { type: 'message_updated', conversationId, message: { ...read } });
    const reply: ChatMessage = await chat.addMessage({
      conversationId,
      senderId: AI_SENDER_ID,
      content: chat.nextAiReply(),
    });
    deliver(session, conversationId, { type: 'ai_message', conversationId, message: { ...reply } });
    await announceChange(conversationId);
  }

  async function sendMessage(
    session: SessionContext,
    request: IncomingRequest,
  ): Promise<{ messageId: number }> {
    const conversationId = ownConversation(session, request);
    const contentType = CONTENT_TYPES.find((candidate) => candidate === request.contentType) ?? 'text';
    const metadata =
      request.metadata && typeof request.metadata === 'object' && !Array.isArray(request.metadata)
        ? (request.metadata as Record<string, unknown>)
        : {};
    const message = await chat.addMessage({
      conversationId,
      senderId: session.userId ?? '',
      content: String(request.content),
      contentType,
      metadata,
      ...(request.id === undefined ? {} : { clientMessageId: String(request.id) }),
    });
    deliver(session, conversationId, { type: 'chat_message', conversationId, message: { ...message } });
    await announceChange(conversationId);
    aiReplies.schedule(aiReplyDelayMs, () => {
      // A reply that cannot be stored is not sent; the user's own message stands.
      aiReply(session, conversationId, message.id).catch(() => {});
    });
    return { messageId: message.id };
  }

  return {
    follow: followRoom,

    checkScope(params, userId) {
      if (params.conversationId === undefined) return undefined;
      const conversationId = parseIdParam(params.conversationId);
      if (conversationId === undefined) return badRequest('conversationId must be a positive integer');
      if (!chat.conversationExists(conversationId))
        return notFound(`conversation ${conversationId} does not exist`);
      if (chat.ownerOfConversation(conversationId) !== userId) {
        return forbidden(`conversation ${conversationId} belongs to another user`);
      }
      return undefined;
    },

    open(session) {
      const conversationId = parseIdParam(session.params.conversationId);
      if (conversationId !== undefined) join(session, conversationId);
    },

    async handle(session, request) {
      switch (requestType(request)) {
        case 'chat_join': {
          const conversationId = ownConversation(session, request);
          join(session, conversationId);
          return { conversationId };
        }
        case 'chat_leave': {
          const conversationId = idField(request, 'conversationId');
          if (subscriptionsOf(session).remove(roomKey(conversationId))) {
            conversationRooms.publish(
              conversationId,
              { type: 'user_left', userId: session.userId, conversationId },
              session.sessionId,
            );
          }
          return { conversationId };
        }
        case 'chat_message':
          return sendMessage(session, request);
        case 'chat_typing': {
          const conversationId = ownConversation(session, request);
          conversationRooms.publish(
            conversationId,
            {
              type: 'user_typing',
              conversationId,
              userId: session.userId,
              isTyping: request.isTyping === true,
            },
            session.sessionId,
          );
          return undefined;
        }
        case 'chat_read': {
          const conversationId = ownConversation(session, request);
          const message = await chat.findMessage(conversationId, request.messageId as number | string);
          if (!message) {
            throw new RequestError(
              ErrorCode.NOT_FOUND,
              `message ${String(request.messageId)} does not exist in conversation ${conversationId}`,
            );
          }
          await chat.markRead(conversationId);
          conversationRooms.publish(
            conversationId,
            { type: 'message_read', conversationId, messageId: message.id, userId: session.userId },
            session.sessionId,
          );
          await announceChange(conversationId);
          return undefined;
        }
        default:
          throw unknownType(request, session.endpoint);
      }
    },

    close(session) {
      // Leaving for good tells the rest of each room, as chat_leave would.
      for (const key of [...roomKeys(session)]) {
        const conversationId = Number(key.slice(ROOM_PREFIX.length));
        subscriptionsOf(session).remove(key);
        conversationRooms.publish(
          conversationId,
          { type: 'user_left', userId: session.userId, conversationId },
          session.sessionId,
        );
      }
      endSession(session);
    },
  };
}

function roomKeys(session: SessionContext): string[] {
  return subscriptionsOf(session)
    .keys()
    .filter((key) => key.startsWith(ROOM_PREFIX));
}
