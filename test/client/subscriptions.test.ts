import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_RULES, SubscriptionBook } from '../../src/client/subscriptions.js';

describe('SubscriptionBook (CR-007)', () => {
  it('re-sends the union of subscribed symbols minus unsubscribed ones, without ids', () => {
    const book = new SubscriptionBook(SUBSCRIPTION_RULES);
    book.record({ type: 'subscribe', id: '1', symbols: ['BTC', 'ETH'] });
    book.record({ action: 'subscribe', symbols: ['SOL'] });
    book.record({ type: 'unsubscribe', symbols: ['ETH'] });
    expect(book.replay()).toEqual([{ action: 'subscribe', symbols: ['BTC', 'SOL'] }]);
  });

  it('keeps one join per room and forgets rooms that were left', () => {
    const book = new SubscriptionBook(SUBSCRIPTION_RULES);
    book.record({ type: 'chat_join', conversationId: 1 });
    book.record({ type: 'chat_join', id: 9, conversationId: 2 });
    book.record({ type: 'chat_join', conversationId: 1 });
    book.record({ type: 'chat_leave', conversationId: 1 });
    book.record({ type: 'chat_message', conversationId: 2, content: 'hi' });
    expect(book.replay()).toEqual([{ type: 'chat_join', conversationId: 2 }]);
  });

  it('keeps only the latest news filter', () => {
    const book = new SubscriptionBook(SUBSCRIPTION_RULES);
    book.record({ type: 'filter', keywords: ['btc'] });
    book.record({ type: 'filter', keywords: ['eth'] });
    expect(book.replay()).toEqual([{ type: 'filter', keywords: ['eth'] }]);
  });
});
