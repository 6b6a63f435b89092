/** The chat store keeps what its quota allows and drops the oldest messages first. */
import { describe, expect, it } from 'vitest';
import { ChatStore, DEFAULT_CHAT_QUOTA, type ChatQuota } from '../../src/server/sources/chat-store.js';
import { ManualScheduler } from '../../src/server/sources/manual-scheduler.js';

/** Conversations 1 and 11 belong to user 1, conversation 2 to user 2. */
function store(quota: Partial<ChatQuota>): ChatStore {
  return new ChatStore(1, new ManualScheduler(), { ...DEFAULT_CHAT_QUOTA, ...quota });
}

const send = (chat: ChatStore, conversationId: number, chars: number) =>
  chat.addMessage({ conversationId, senderId: '1', content: 'x'.repeat(chars) });

describe('chat quota', () => {
  it('keeps at most messagesPerConversation and charsPerConversation per conversation, oldest dropped', () => {
    const chat = store({ messagesPerConversation: 3, charsPerConversation: 10_000 });
    const sent = [1, 2, 3, 4].map(() => send(chat, 1, 10));
    expect(chat.findMessage(1, sent[0].id)).toBeUndefined();
    expect(sent.slice(1).every((m) => chat.findMessage(1, m.id))).toBe(true);
    const big = [1, 2, 3].map(() => send(chat, 2, 4_000));
    expect(big.map((m) => chat.findMessage(2, m.id) !== undefined)).toEqual([false, true, true]);
    expect(chat.keptChars('2')).toBeLessThanOrEqual(10_000);
  });

  it('keeps at most charsPerUser over all of a user’s conversations, and the others’ messages stay', () => {
    const chat = store({ charsPerUser: 10_000 });
    const theirs = send(chat, 2, 1_000);
    const mine = [1, 11, 1, 11].map((id) => send(chat, id, 4_000));
    expect(mine.map((m) => chat.findMessage(m.conversationId, m.id) !== undefined)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(chat.keptChars('1')).toBeLessThanOrEqual(10_000);
    expect(chat.findMessage(2, theirs.id)).toBeDefined();
  });

  it('keeps at most totalChars in all, and always the newest message', () => {
    const chat = store({ totalChars: 10_000 });
    const sent = [1, 2, 11].map((id) => send(chat, id, 4_000));
    expect(sent.map((m) => chat.findMessage(m.conversationId, m.id) !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
    const huge = send(chat, 2, 50_000);
    expect(chat.findMessage(2, huge.id)).toBeDefined();
    expect(chat.keptChars()).toBe(chat.keptChars('1') + chat.keptChars('2'));
  });
});
