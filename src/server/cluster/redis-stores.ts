/**
 * The simulation's data in Redis, so every instance of a deployment serves the same: chat messages and the
 * conversations and customers they change, notifications, and where each campaign's run is. What never
 * changes (which conversations exist, their reference data) is generated from the seed on each instance;
 * Redis keeps only what writes changed.
 */
import type { CampaignRuns, SavedCampaign } from '../sources/campaign-source.js';
import {
  byRecency,
  changesOfMessage,
  CONVERSATION_COUNT,
  CUSTOMER_COUNT,
  newChatMessage,
  ownedIds,
  SeededChatData,
  type ChatData,
  type ChatMessage,
  type Conversation,
  type Customer,
  type MessageStatus,
  type NewMessage,
} from '../sources/chat-store.js';
import {
  NOTIFICATIONS_KEPT_PER_USER,
  type NewNotification,
  type Notification,
  type NotificationStore,
} from '../sources/notification-source.js';
import { RedisKeys } from './redis-keys.js';
import { LuaScript, type RedisLink } from './redis-link.js';

/**
 * Lua: keeps item ARGV[2] under id ARGV[1] (ids in order in the list KEYS[1], items in the hash KEYS[2])
 * and drops the oldest past ARGV[3] items, with its `<id>:<flag>` field.
 */
const keepLast = (flag: string) => `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
while redis.call('LLEN', KEYS[1]) > tonumber(ARGV[3]) do
  local oldest = redis.call('LPOP', KEYS[1])
  redis.call('HDEL', KEYS[2], oldest, oldest .. ':${flag}')
end`;

/**
 * Keeps a message and brings its conversation and customer up to date. KEYS: ids, messages, conversation,
 * customer. ARGV: id, message (JSON), kept, last message, updated at, unread (1/0), reference unread count.
 */
const ADD_MESSAGE = new LuaScript(`${keepLast('status')}
redis.call('HSETNX', KEYS[3], 'unreadCount', ARGV[7])
redis.call('HSET', KEYS[3], 'lastMessage', ARGV[4], 'updatedAt', ARGV[5])
if ARGV[6] == '1' then redis.call('HINCRBY', KEYS[3], 'unreadCount', 1) end
redis.call('HSET', KEYS[4], 'updatedAt', ARGV[5])
return 1
`);

/** A kept message's new delivery state; 0 when it is no longer kept. KEYS: messages. ARGV: id, status. */
const SET_STATUS = new LuaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1] .. ':status', ARGV[2])
return 1
`);

/** Keeps a notification, dropping the oldest past the limit. KEYS: ids, notifications. ARGV: id, JSON, kept. */
const ADD_NOTIFICATION = new LuaScript(`${keepLast('read')}
return 1
`);

/** Marks a notification read: `{JSON, was unread}`, or nil when there is none. KEYS: notifications. ARGV: id. */
const READ_NOTIFICATION = new LuaScript(`
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return nil end
local unread = redis.call('HSETNX', KEYS[1], ARGV[1] .. ':read', '1')
return {json, unread}
`);

export class RedisChatData extends SeededChatData implements ChatData {
  constructor(
    private readonly link: RedisLink,
    seed: number,
    epochMs: number,
    private readonly now: () => number,
    /** Messages kept per conversation; older ones are dropped. */
    private readonly messagesKept: number,
  ) {
    super(seed, epochMs);
  }

  async conversation(id: number): Promise<Conversation> {
    return this.withChanges(this.reference.conversation(id), await this.changes(RedisKeys.conversation(id)));
  }

  async conversationsOf(userId: string): Promise<Conversation[]> {
    const ids = ownedIds(userId, CONVERSATION_COUNT);
    const changes = await Promise.all(ids.map((id) => this.changes(RedisKeys.conversation(id))));
    return ids.map((id, i) => this.withChanges(this.reference.conversation(id), changes[i])).sort(byRecency);
  }

  async customer(id: number): Promise<Customer> {
    return { ...this.reference.customer(id), ...(await this.changes(RedisKeys.customer(id))) };
  }

  async customersOf(userId: string): Promise<Customer[]> {
    const ids = ownedIds(userId, CUSTOMER_COUNT);
    const changes = await Promise.all(ids.map((id) => this.changes(RedisKeys.customer(id))));
    return ids.map((id, i) => ({ ...this.reference.customer(id), ...changes[i] })).sort(byRecency);
  }

  async addMessage(input: NewMessage): Promise<ChatMessage> {
    const id = Number(await this.link.send(['INCR', RedisKeys.nextMessageId]));
    const message = newChatMessage(input, id, new Date(this.now()).toISOString());
    const { conversationId } = input;
    const changes = changesOfMessage(message);
    const { status: _status, ...stored } = message;
    await this.link.run(
      ADD_MESSAGE,
      [
        RedisKeys.messageIds(conversationId),
        RedisKeys.messages(conversationId),
        RedisKeys.conversation(conversationId),
        RedisKeys.customer(conversationId),
      ],
      [
        id,
        JSON.stringify(stored),
        this.messagesKept,
        changes.lastMessage,
        changes.updatedAt,
        changes.unread ? '1' : '0',
        this.reference.conversation(conversationId).unreadCount,
      ],
    );
    return message;
  }

  async findMessage(conversationId: number, messageId: number | string): Promise<ChatMessage | undefined> {
    const key = RedisKeys.messages(conversationId);
    const [json, status] = (await this.link.send([
      'HMGET',
      key,
      String(messageId),
      `${messageId}:status`,
    ])) as [string | null, string | null];
    if (json === null) return undefined;
    return {
      ...(JSON.parse(json) as Omit<ChatMessage, 'status'>),
      status: (status as MessageStatus) ?? 'sent',
    };
  }

  async setStatus(
    conversationId: number,
    messageId: number,
    status: MessageStatus,
  ): Promise<ChatMessage | undefined> {
    const kept = await this.link.run(SET_STATUS, [RedisKeys.messages(conversationId)], [messageId, status]);
    return kept === 1 ? this.findMessage(conversationId, messageId) : undefined;
  }

  async markRead(conversationId: number): Promise<Conversation> {
    await this.link.send(['HSET', RedisKeys.conversation(conversationId), 'unreadCount', 0]);
    return this.conversation(conversationId);
  }

  private async changes(key: string): Promise<Record<string, string>> {
    const flat = (await this.link.send(['HGETALL', key])) as string[];
    const changes: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) changes[flat[i]] = flat[i + 1];
    return changes;
  }

  private withChanges(conversation: Conversation, changes: Record<string, string>): Conversation {
    return {
      ...conversation,
      ...(changes.lastMessage !== undefined ? { lastMessage: changes.lastMessage } : {}),
      ...(changes.updatedAt !== undefined ? { updatedAt: changes.updatedAt } : {}),
      ...(changes.unreadCount !== undefined ? { unreadCount: Number(changes.unreadCount) } : {}),
    };
  }
}

export class RedisNotifications implements NotificationStore {
  constructor(private readonly link: RedisLink) {}

  async add(userId: string, fields: NewNotification): Promise<Notification> {
    const id = Number(await this.link.send(['INCR', RedisKeys.nextNotificationId]));
    const notification: Notification = { id, ...fields };
    await this.link.run(
      ADD_NOTIFICATION,
      [RedisKeys.notificationIds(userId), RedisKeys.notifications(userId)],
      [id, JSON.stringify(notification), NOTIFICATIONS_KEPT_PER_USER],
    );
    return notification;
  }

  async markRead(
    userId: string,
    notificationId: number | string,
  ): Promise<{ notification: Notification; changed: boolean } | undefined> {
    const reply = (await this.link.run(
      READ_NOTIFICATION,
      [RedisKeys.notifications(userId)],
      [String(notificationId)],
    )) as [string, number] | null;
    if (!reply) return undefined;
    const notification = { ...(JSON.parse(reply[0]) as Notification), read: true };
    return { notification, changed: reply[1] === 1 };
  }
}

export class RedisCampaignRuns implements CampaignRuns {
  constructor(
    private readonly link: RedisLink,
    private readonly logger: (line: string) => void,
  ) {}

  async load(id: number): Promise<SavedCampaign | undefined> {
    const json = (await this.link.send(['GET', RedisKeys.campaign(id)])) as string | null;
    return json === null ? undefined : (JSON.parse(json) as SavedCampaign);
  }

  save(id: number, run: SavedCampaign): void {
    this.link.send(['SET', RedisKeys.campaign(id), JSON.stringify(run)]).catch((error: unknown) => {
      if (this.link.isAvailable)
        this.logger(`campaign ${id}: saving the run failed: ${(error as Error).message}`);
    });
  }
}
