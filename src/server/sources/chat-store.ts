import type { MaybePromise } from '../maybe-promise.js';
import { ownerOf } from './campaign-source.js';
import { streamFor } from './random.js';
import type { Scheduler } from './scheduler.js';

/** Conversations, customers and projects 1..1000 exist in the reference data. */
export const CONVERSATION_COUNT = 1_000;
export const CUSTOMER_COUNT = 1_000;
export const PROJECT_COUNT = 1_000;

/**
 * Caps on the chat messages kept in memory; beyond each, the oldest messages it covers are dropped, so
 * chatty clients cannot grow the server's memory. Sizes are characters of a message's JSON (content and
 * metadata included); a user's share is every message in the conversations it owns, AI replies included.
 */
export interface ChatQuota {
  messagesPerConversation: number;
  charsPerConversation: number;
  charsPerUser: number;
  totalChars: number;
}

export const DEFAULT_CHAT_QUOTA: Readonly<ChatQuota> = {
  messagesPerConversation: 200,
  charsPerConversation: 256 * 1024,
  charsPerUser: 1024 * 1024,
  totalChars: 32 * 1024 * 1024,
};

export interface Conversation {
  id: number;
  title: string;
  lastMessage?: string;
  unreadCount: number;
  updatedAt: string;
}

export interface Customer {
  id: number;
  name: string;
  email?: string;
  phone?: string;
  conversationId?: number;
  updatedAt: string;
}

export type ContentType = 'text' | 'image' | 'file';
/** Delivery state of a message, as a chat front end shows it (ticks). */
export type MessageStatus = 'sent' | 'delivered' | 'read';

export interface ChatMessage {
  id: number;
  conversationId: number;
  senderId: string;
  content: string;
  contentType: ContentType;
  metadata: Record<string, unknown>;
  createdAt: string;
  status: MessageStatus;
  clientMessageId?: string;
}

export interface NewMessage {
  conversationId: number;
  senderId: string;
  content: string;
  contentType?: ContentType;
  metadata?: Record<string, unknown>;
  clientMessageId?: string;
}

/** Where a kept message is accounted: its conversation's owner, and its size. */
interface Kept {
  conversationId: number;
  owner: string;
  chars: number;
}

/** The sender id of simulated AI replies. */
export const AI_SENDER_ID = 'ai';

const FIRST_NAMES = ['Sara', 'Reza', 'Maryam', 'Ali', 'Layla', 'Omid', 'Nora', 'Karim', 'Dina', 'Hamed'];
const LAST_NAMES = ['Ahmadi', 'Karimi', 'Haddad', 'Rahimi', 'Nasser', 'Moradi', 'Saleh', 'Tehrani'];
const OPENERS = [
  'Hi, is my order on its way?',
  'Can I change the delivery address?',
  'Do you ship abroad?',
  'Thanks, that solved it!',
  'What are your opening hours?',
  'I would like a refund for my last order.',
];
const AI_REPLIES = [
  'Thanks for your message! Let me check that for you.',
  'Your order is on its way and should arrive within two days.',
  'Sure — I have updated that for you.',
  'Happy to help. Is there anything else you need?',
  'I have passed this to a teammate who will reply shortly.',
];

/**
 * The chat family's data as the endpoints use it: kept in this process by `ChatStore`, or shared by the
 * instances of a deployment (src/server/cluster). Which conversations exist and who owns them is fixed by
 * the reference data and known at once; everything that changes may have to be fetched.
 */
export interface ChatData {
  conversationExists(id: number): boolean;
  projectExists(id: number): boolean;
  ownerOfConversation(id: number): string;
  conversation(id: number): MaybePromise<Conversation>;
  /** The user's conversations, most recently updated first. */
  conversationsOf(userId: string): MaybePromise<Conversation[]>;
  customer(id: number): MaybePromise<Customer>;
  /** The user's customers (a customer belongs to the owner of its conversation), most recent first. */
  customersOf(userId: string): MaybePromise<Customer[]>;
  /** Stores a message and brings its conversation (and the conversation's customer) up to date. */
  addMessage(input: NewMessage): MaybePromise<ChatMessage>;
  findMessage(conversationId: number, messageId: number | string): MaybePromise<ChatMessage | undefined>;
  /** Moves a kept message to a new delivery state; undefined when it is no longer kept. */
  setStatus(
    conversationId: number,
    messageId: number,
    status: MessageStatus,
  ): MaybePromise<ChatMessage | undefined>;
  /** The user has read the conversation up to here: nothing in it is unread any more. */
  markRead(conversationId: number): MaybePromise<Conversation>;
  /** The text of the next simulated AI reply. */
  nextAiReply(): string;
}

export function conversationExists(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= CONVERSATION_COUNT;
}

export function projectExists(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= PROJECT_COUNT;
}

/**
 * The reference data, generated from the seed: conversation and customer `id` as they are before anyone
 * writes to them. `epochMs` is when the simulation started; their dates are counted back from it.
 */
export class ReferenceChatData {
  constructor(
    private readonly seed: number,
    private readonly epochMs: number,
  ) {}

  conversation(id: number): Conversation {
    const random = streamFor(this.seed, 'conversation', id);
    return {
      id,
      title: this.customer(id).name,
      lastMessage: random.pick(OPENERS),
      unreadCount: random.int(0, 5),
      updatedAt: this.minutesAgo(random.int(1, 7 * 24 * 60)),
    };
  }

  customer(id: number): Customer {
    const random = streamFor(this.seed, 'customer', id);
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    return {
      id,
      name: `${first} ${last}`,
      email: `${first}.${last}${id}@example.com`.toLowerCase(),
      phone: `09${String(random.int(0, 999_999_999)).padStart(9, '0')}`,
      conversationId: id,
      updatedAt: this.minutesAgo(random.int(60, 30 * 24 * 60)),
    };
  }

  private minutesAgo(minutes: number): string {
    return new Date(this.epochMs - minutes * 60_000).toISOString();
  }
}

/** Conversation and customer lists: most recently updated first, then by id. */
export function byRecency(
  a: { updatedAt: string; id: number },
  b: { updatedAt: string; id: number },
): number {
  return b.updatedAt.localeCompare(a.updatedAt) || a.id - b.id;
}

/** What a new message changes in its conversation (and the conversation's customer). */
export function changesOfMessage(message: ChatMessage): {
  lastMessage: string;
  updatedAt: string;
  unread: boolean;
} {
  return {
    lastMessage: message.content,
    updatedAt: message.createdAt,
    // Only what the user did not write is unread for them.
    unread: message.senderId !== ownerOf(message.conversationId),
  };
}

/** A new message as it is stored, numbered `id` and written at `createdAt`. */
export function newChatMessage(input: NewMessage, id: number, createdAt: string): ChatMessage {
  return {
    id,
    conversationId: input.conversationId,
    senderId: input.senderId,
    content: input.content,
    contentType: input.contentType ?? 'text',
    metadata: input.metadata ?? {},
    createdAt,
    status: 'sent',
    ...(input.clientMessageId === undefined ? {} : { clientMessageId: input.clientMessageId }),
  };
}

/** The canned replies of the simulated AI, in the order the seed gives them. */
function aiReplies(seed: number): () => string {
  const replies = streamFor(seed, 'ai-replies');
  return () => replies.pick(AI_REPLIES);
}

/**
 * What every implementation of the chat data shares: the reference data generated from the seed, which
 * conversations and projects exist and who owns them, and the simulated AI's replies. Implementations
 * add where the changes are kept.
 */
export abstract class SeededChatData {
  protected readonly reference: ReferenceChatData;
  readonly nextAiReply: () => string;

  constructor(seed: number, epochMs: number) {
    this.reference = new ReferenceChatData(seed, epochMs);
    this.nextAiReply = aiReplies(seed);
  }

  conversationExists(id: number): boolean {
    return conversationExists(id);
  }

  projectExists(id: number): boolean {
    return projectExists(id);
  }

  ownerOfConversation(id: number): string {
    return ownerOf(id);
  }
}

/**
 * The chat family's data, in memory: conversations and customers (owned per the reference ownership rule,
 * generated from the seed the first time they are looked at), the messages sent since the server started,
 * and the canned replies of the simulated AI.
 */
export class ChatStore extends SeededChatData implements ChatData {
  private readonly conversations = new Map<number, Conversation>();
  private readonly customers = new Map<number, Customer>();
  private readonly messages = new Map<number, ChatMessage[]>();
  /** Every kept message by id, oldest first (a Map keeps insertion order), and per owner likewise. */
  private readonly kept = new Map<number, Kept>();
  private readonly keptByOwner = new Map<string, Map<number, Kept>>();
  private readonly charsOf = { conversation: new Map<number, number>(), owner: new Map<string, number>() };
  private totalChars = 0;
  private nextMessageId = 1;

  constructor(
    seed: number,
    private readonly scheduler: Scheduler,
    private readonly quota: ChatQuota = DEFAULT_CHAT_QUOTA,
    epochMs: number = scheduler.now(),
  ) {
    super(seed, epochMs);
  }

  conversation(id: number): Conversation {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = this.reference.conversation(id);
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  conversationsOf(userId: string): Conversation[] {
    return ownedIds(userId, CONVERSATION_COUNT)
      .map((id) => this.conversation(id))
      .sort(byRecency);
  }

  customer(id: number): Customer {
    let customer = this.customers.get(id);
    if (!customer) {
      customer = this.reference.customer(id);
      this.customers.set(id, customer);
    }
    return customer;
  }

  customersOf(userId: string): Customer[] {
    return ownedIds(userId, CUSTOMER_COUNT)
      .map((id) => this.customer(id))
      .sort(byRecency);
  }

  addMessage(input: NewMessage): ChatMessage {
    const message = newChatMessage(input, this.nextMessageId++, this.isoNow());
    this.keep(message);

    const changes = changesOfMessage(message);
    const conversation = this.conversation(input.conversationId);
    conversation.lastMessage = changes.lastMessage;
    conversation.updatedAt = changes.updatedAt;
    if (changes.unread) conversation.unreadCount += 1;
    const customer = this.customer(input.conversationId);
    customer.updatedAt = changes.updatedAt;
    return message;
  }

  /** Characters of messages kept now (all, or one user's), for tests of the quota. */
  keptChars(owner?: string): number {
    return owner === undefined ? this.totalChars : (this.charsOf.owner.get(owner) ?? 0);
  }

  private keep(message: ChatMessage): void {
    const { conversationId } = message;
    const owner = this.ownerOfConversation(conversationId);
    const entry: Kept = { conversationId, owner, chars: JSON.stringify(message).length };
    let list = this.messages.get(conversationId);
    if (!list) {
      list = [];
      this.messages.set(conversationId, list);
    }
    list.push(message);
    this.kept.set(message.id, entry);
    let ofOwner = this.keptByOwner.get(owner);
    if (!ofOwner) {
      ofOwner = new Map();
      this.keptByOwner.set(owner, ofOwner);
    }
    ofOwner.set(message.id, entry);
    this.account(entry, 1);
    // Each cap drops the oldest messages it covers; the message just added is always the newest of all.
    const { messagesPerConversation, charsPerConversation, charsPerUser, totalChars } = this.quota;
    while (
      list.length > 1 &&
      (list.length > messagesPerConversation ||
        (this.charsOf.conversation.get(conversationId) ?? 0) > charsPerConversation)
    ) {
      this.dropOldestOf(conversationId);
    }
    while (ofOwner.size > 1 && (this.charsOf.owner.get(owner) ?? 0) > charsPerUser) {
      this.dropOldestOf(ofOwner.values().next().value!.conversationId);
    }
    while (this.kept.size > 1 && this.totalChars > totalChars) {
      this.dropOldestOf(this.kept.values().next().value!.conversationId);
    }
  }

  /** Drops a conversation's oldest message, which is also the oldest of its owner's and of all. */
  private dropOldestOf(conversationId: number): void {
    const dropped = this.messages.get(conversationId)?.shift();
    if (!dropped) return;
    const entry = this.kept.get(dropped.id)!;
    this.kept.delete(dropped.id);
    this.keptByOwner.get(entry.owner)?.delete(dropped.id);
    this.account(entry, -1);
  }

  private account(entry: Kept, sign: 1 | -1): void {
    const chars = sign * entry.chars;
    const { conversation, owner } = this.charsOf;
    conversation.set(entry.conversationId, (conversation.get(entry.conversationId) ?? 0) + chars);
    owner.set(entry.owner, (owner.get(entry.owner) ?? 0) + chars);
    this.totalChars += chars;
  }

  findMessage(conversationId: number, messageId: number | string): ChatMessage | undefined {
    return this.messages.get(conversationId)?.find((message) => String(message.id) === String(messageId));
  }

  setStatus(conversationId: number, messageId: number, status: MessageStatus): ChatMessage | undefined {
    const message = this.findMessage(conversationId, messageId);
    if (message) message.status = status;
    return message;
  }

  markRead(conversationId: number): Conversation {
    const conversation = this.conversation(conversationId);
    conversation.unreadCount = 0;
    return conversation;
  }

  private isoNow(): string {
    return new Date(this.scheduler.now()).toISOString();
  }
}

/** Ids in 1..count owned by `userId` under the reference ownership rule (none for users outside "1".."10"). */
export function ownedIds(userId: string, count: number): number[] {
  if (!/^(?:[1-9]|10)$/.test(userId)) return [];
  const ids: number[] = [];
  for (let id = Number(userId); id <= count; id += 10) ids.push(id);
  return ids;
}
