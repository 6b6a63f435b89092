/**
 * One invalid message per schema file, with the JSON Pointer ajv must blame.
 * Keyed by `<dir>/<name>`; test/protocol/schemas.test.ts fails when a schema has no entry.
 */
const T = '2026-01-15T10:30:00.000Z';
const chatMessage = { id: 'm-1', conversationId: 12, senderId: '2', content: 'Hi', createdAt: T };
const price = { symbol: 'BTC', price: 43250.5 };

export interface InvalidExample {
  value: unknown;
  path: string;
}

export const INVALID_EXAMPLES: Readonly<Record<string, InvalidExample>> = {
  'common/timestamp': { value: 'yesterday', path: '/' },
  'common/seq': { value: 0, path: '/' },
  'common/request-id': { value: '', path: '/' },
  'common/user-id': { value: true, path: '/' },
  'common/campaign-id': { value: 0, path: '/' },
  'common/conversation-id': { value: -1, path: '/' },
  'common/project-id': { value: '7', path: '/' },
  'common/error-object': { value: { code: 'bad code', message: 'x' }, path: '/code' },
  'common/chat-message': { value: { ...chatMessage, content: 1 }, path: '/content' },
  'common/price': { value: { ...price, price: '43250.5' }, path: '/price' },
  'common/symbol': { value: 'btc', path: '/' },
  'common/symbol-list': { value: [], path: '/' },
  'common/conversation': { value: { id: 'a' }, path: '/id' },
  'common/customer': { value: { id: 1, email: 5 }, path: '/email' },
  'common/notification': { value: { id: 1, read: 'no' }, path: '/read' },
  'common/envelope': { value: { type: 'PriceUpdate' }, path: '/type' },

  'server/connection_established': {
    value: { type: 'connection_established', heartbeatIntervalMs: '30000' },
    path: '/heartbeatIntervalMs',
  },
  'server/authentication_error': {
    value: { type: 'authentication_error', message: 'expired', error_code: 'auth required' },
    path: '/error_code',
  },
  'server/error': {
    value: { type: 'error', error: { code: 'bad code', message: 'x' } },
    path: '/error/code',
  },
  'server/ack': { value: { type: 'ack', id: 'req-1', ok: false }, path: '/ok' },
  'server/ping': { value: { type: 'ping', timestamp: 'yesterday' }, path: '/timestamp' },
  'server/pong': { value: { type: 'pong', id: true }, path: '/id' },
  'server/resumed': { value: { type: 'resumed', sessionId: 's1', replayed: -1 }, path: '/replayed' },
  'server/resume_failed': { value: { type: 'resume_failed', reason: 'nope' }, path: '/reason' },
  'server/campaign_update': {
    value: {
      type: 'campaign_update',
      campaignId: 1,
      data: { id: 1, status: 'DONE', progress: { total: 1, sent: 0 } },
    },
    path: '/data/status',
  },
  'server/progress_update': {
    value: { type: 'progress_update', campaignId: 1, data: { progress: { sent: '45', total: 100 } } },
    path: '/data/progress/sent',
  },
  'server/status_update': {
    value: { type: 'status_update', campaignId: '1', data: { status: 'ready' } },
    path: '/campaignId',
  },
  'server/error_update': {
    value: { type: 'error_update', campaignId: 1, data: { error: 5 } },
    path: '/data/error',
  },
  'server/qr_code': {
    value: { type: 'qr_code', campaignId: 1, data: { qrCode: 'https://example.com/qr.png' } },
    path: '/data/qrCode',
  },
  'server/completion_update': {
    value: {
      type: 'completion_update',
      campaignId: 1,
      data: { report: { status: 'COMPLETED', totalSent: -1 } },
    },
    path: '/data/report/totalSent',
  },
  'server/chat_message': {
    value: { type: 'chat_message', conversationId: 12, message: { ...chatMessage, content: 5 } },
    path: '/message/content',
  },
  'server/message_updated': {
    value: { type: 'message_updated', message: { ...chatMessage, id: undefined } },
    path: '/message',
  },
  'server/ai_message': {
    value: { type: 'ai_message', conversationId: 0, message: chatMessage },
    path: '/conversationId',
  },
  'server/user_typing': {
    value: { type: 'user_typing', conversationId: 12, userId: '2', isTyping: 'yes' },
    path: '/isTyping',
  },
  'server/message_read': { value: { type: 'message_read', conversationId: 12, userId: '2' }, path: '/' },
  'server/user_joined': { value: { type: 'user_joined', userId: true }, path: '/userId' },
  'server/user_left': { value: { type: 'user_left', userId: '3', projectId: 'p7' }, path: '/projectId' },
  'server/conversations_list': {
    value: { type: 'conversations_list', conversations: {} },
    path: '/conversations',
  },
  'server/conversation_updated': {
    value: { type: 'conversation_updated', conversation: { id: 12, unreadCount: -1 } },
    path: '/conversation/unreadCount',
  },
  'server/customers_list': {
    value: { type: 'customers_list', customers: [{ id: 5, email: 5 }] },
    path: '/customers/0/email',
  },
  'server/customer_updated': { value: { type: 'customer_updated' }, path: '/' },
  'server/notification_new': {
    value: { type: 'notification_new', notification: { id: 'n-1', read: 'no' } },
    path: '/notification/read',
  },
  'server/notification_updated': {
    value: { type: 'notification_updated', notification: { read: true } },
    path: '/notification',
  },
  'server/project_joined': { value: { type: 'project_joined', projectId: '7' }, path: '/projectId' },
  'server/project_left': { value: { type: 'project_left', projectId: 7, seq: 0 }, path: '/seq' },
  'server/project_update': {
    value: { type: 'project_update', projectId: 7, kind: 'rename', data: {} },
    path: '/kind',
  },
  'server/system_status': { value: { type: 'system_status', agent_running: 'yes' }, path: '/agent_running' },
  'server/price_update': {
    value: { type: 'price_update', data: { ...price, price: '1' } },
    path: '/data/price',
  },
  'server/prices_snapshot': {
    value: { type: 'prices_snapshot', data: { prices: [{ price: 1 }] } },
    path: '/data/prices/0',
  },
  'server/news': {
    value: { type: 'news', data: { title: 'x', sentiment_score: 'high' } },
    path: '/data/sentiment_score',
  },
  'server/sentiment_update': {
    value: { type: 'sentiment_update', data: { fear_greed: { value: 101 } } },
    path: '/data/fear_greed/value',
  },
  'server/models_status': {
    value: { type: 'models_status', data: { models: [{ id: 'm', avg_response_time: -1 }] } },
    path: '/data/models/0/avg_response_time',
  },

  'client/ping': { value: { type: 'ping', timestamp: 'now' }, path: '/timestamp' },
  'client/pong': { value: { type: 'pong', extra: 1 }, path: '/' },
  'client/get_campaign': { value: { type: 'get_campaign', id: {} }, path: '/id' },
  'client/chat_join': { value: { type: 'chat_join', conversationId: '12' }, path: '/conversationId' },
  'client/chat_leave': { value: { type: 'chat_leave' }, path: '/' },
  'client/chat_message': {
    value: { type: 'chat_message', conversationId: 12, content: '' },
    path: '/content',
  },
  'client/chat_typing': {
    value: { type: 'chat_typing', conversationId: 12, isTyping: 'true' },
    path: '/isTyping',
  },
  'client/chat_read': {
    value: { type: 'chat_read', conversationId: 12, messageId: null },
    path: '/messageId',
  },
  'client/refresh_conversations': { value: { type: 'refresh_conversations', conversationsId: 1 }, path: '/' },
  'client/refresh_customers': { value: { type: 'refresh_customers', id: '' }, path: '/id' },
  'client/notifications_subscribe': {
    value: { type: 'notifications_subscribe', userId: '' },
    path: '/userId',
  },
  'client/notifications_unsubscribe': {
    value: { type: 'notifications_unsubscribe', userId: [] },
    path: '/userId',
  },
  'client/notification_read': { value: { type: 'notification_read' }, path: '/' },
  'client/project_join': { value: { type: 'project_join', projectId: 0 }, path: '/projectId' },
  'client/project_leave': { value: { type: 'project_leave', projectId: 1.5 }, path: '/projectId' },
  'client/project_status_update': {
    value: { type: 'project_status_update', projectId: 7, status: '' },
    path: '/status',
  },
  'client/project_progress': {
    value: { type: 'project_progress', projectId: 7, progress: 150 },
    path: '/progress',
  },
  'client/project_comment': {
    value: { type: 'project_comment', projectId: 7, comment: 'ok', attachments: 'none' },
    path: '/attachments',
  },
  'client/subscribe': { value: { action: 'subscribe', symbols: ['btc'] }, path: '/symbols/0' },
  'client/unsubscribe': { value: { type: 'unsubscribe', symbols: [] }, path: '/symbols' },
  'client/get_all': { value: { action: 'get_all', symbols: ['BTC'] }, path: '/' },
  'client/filter': { value: { action: 'filter', keywords: 'bitcoin' }, path: '/keywords' },
};
