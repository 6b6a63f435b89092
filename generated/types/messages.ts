/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * One type per message schema; the schema `title` is the type name.
 */

/**
 * An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).
 */
export type Timestamp = string;
/**
 * Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it (ACK-001); a `ping` with an id is answered by a `pong` carrying it instead.
 */
export type RequestId = string | number;
/**
 * Sequence number of a server data message: starts at 1 and grows by exactly 1 per session (ENV-004); the resume cursor.
 */
export type Seq = number;
/**
 * Id of a chat conversation.
 */
export type ConversationId = number;
/**
 * A user id. The reference server uses decimal strings (`"1"`); the original systems also used numbers.
 */
export type UserId = string | number;
/**
 * Id of a campaign, as given in the `campaignId` query parameter.
 */
export type CampaignId = number;
/**
 * A market symbol such as `BTC`.
 */
export type MarketSymbol = string;
/**
 * Id of a project room.
 */
export type ProjectId = number;
/**
 * One to 50 distinct market symbols.
 *
 * @minItems 1
 * @maxItems 50
 */
export type MarketSymbolList = [MarketSymbol, ...MarketSymbol[]];

/**
 * Positive answer to a client message that carried an `id` (ACK-001).
 */
export interface Ack {
  type: 'ack';
  timestamp?: Timestamp;
  id: RequestId;
  ok: true;
  /**
   * Request-specific result.
   */
  data?: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A reply written by the AI agent of the conversation. A data message: carries `seq` and is replayed on resume.
 */
export interface AiMessage {
  type: 'ai_message';
  timestamp?: Timestamp;
  seq?: Seq;
  conversationId?: ConversationId;
  message: ChatMessageRecord;
  [k: string]: unknown;
}
/**
 * A stored chat message as the server delivers it.
 */
export interface ChatMessageRecord {
  /**
   * Message id assigned by the server.
   */
  id: string | number;
  conversationId: ConversationId;
  senderId: UserId;
  content: string;
  contentType?: 'text' | 'image' | 'file';
  metadata?: {
    [k: string]: unknown;
  };
  createdAt: Timestamp;
  clientMessageId?: RequestId;
  [k: string]: unknown;
}
/**
 * Sent when a token is missing (where required), malformed, badly signed or expired; the server then closes with 4001 (AUTH-001, AUTH-002).
 */
export interface AuthenticationError {
  type: 'authentication_error';
  timestamp?: Timestamp;
  message: string;
  /**
   * `AUTH_REQUIRED`.
   */
  error_code: string;
  closeCode?: number;
  [k: string]: unknown;
}
/**
 * Full snapshot of a campaign; sent after `connection_established` on a fresh session and whenever the campaign changes. `data.timestamp` is kept from the original campaign messages (ENV-005). A data message: carries `seq` and is replayed on resume.
 */
export interface CampaignUpdate {
  type: 'campaign_update';
  timestamp?: Timestamp;
  seq?: Seq;
  campaignId: CampaignId;
  data: {
    id: CampaignId;
    title?: string;
    status: 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
    progress: {
      total: number;
      sent: number;
      failed?: number;
      delivered?: number;
      [k: string]: unknown;
    };
    startedAt?: Timestamp | null;
    completedAt?: Timestamp | null;
    timestamp?: Timestamp;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A new message in a conversation, delivered to every member of the room including its sender. A data message: carries `seq` and is replayed on resume.
 */
export interface ServerChatMessage {
  type: 'chat_message';
  timestamp?: Timestamp;
  seq?: Seq;
  conversationId?: ConversationId;
  message: ChatMessageRecord;
  [k: string]: unknown;
}
/**
 * Final report of a finished campaign. `data.timestamp` is kept from the original campaign messages (ENV-005). A data message: carries `seq` and is replayed on resume.
 */
export interface CompletionUpdate {
  type: 'completion_update';
  timestamp?: Timestamp;
  seq?: Seq;
  campaignId: CampaignId;
  data: {
    report: {
      status: 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
      totalSent?: number;
      totalFailed?: number;
      reportUrl?: string;
      [k: string]: unknown;
    };
    timestamp?: Timestamp;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * First message on every connection (HS-002): the session, the protocol version and the timers and limits the server applies.
 */
export interface ConnectionEstablished {
  type: 'connection_established';
  timestamp?: Timestamp;
  message?: string;
  sessionId?: string;
  protocolVersion?: string;
  /**
   * Endpoint name from the catalogue, e.g. `campaigns`.
   */
  endpoint?: string;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  resumeWindowMs?: number;
  maxMessageBytes?: number;
  rateLimit?: {
    maxMessages: number;
    windowMs: number;
    [k: string]: unknown;
  };
  auth?: {
    mode: 'required' | 'optional';
    userId?: string | null;
    [k: string]: unknown;
  };
  /**
   * True when this connection resumed an earlier session.
   */
  resumed?: boolean;
  /**
   * The profiles the server offers (SRC-004), e.g. `pilito`: each is the set of endpoints of one source system.
   */
  profiles?: string[];
  /**
   * Deepest nesting of arrays and objects accepted in a client message (ERR-011).
   */
  maxMessageDepth?: number;
  /**
   * Most array elements and object members, over the whole message, accepted in a client message (ERR-011).
   */
  maxMessageItems?: number;
  /**
   * Client messages of all connections of one user together (without a token: of one client address) per window (RL-009).
   */
  userRateLimit?: {
    maxMessages: number;
    windowMs: number;
    [k: string]: unknown;
  };
  /**
   * Open connections allowed per user (SEC-004), per client address (SEC-005) and in total (SEC-006).
   */
  connectionLimits?: {
    perUser?: number;
    perAddress?: number;
    total?: number;
    [k: string]: unknown;
  };
  /**
   * Which instance of a deployment of several accepted the connection: the same on all of its connections, different on every other instance (CLU-001).
   */
  instanceId?: string;
  [k: string]: unknown;
}
/**
 * One conversation of the user changed (new message, read state, title). A data message: carries `seq` and is replayed on resume.
 */
export interface ConversationUpdated {
  type: 'conversation_updated';
  timestamp?: Timestamp;
  seq?: Seq;
  conversation: ConversationSummary;
  [k: string]: unknown;
}
/**
 * One conversation in a conversation list.
 */
export interface ConversationSummary {
  id: ConversationId;
  title?: string;
  /**
   * Preview text or the last message record.
   */
  lastMessage?:
    | string
    | {
        [k: string]: unknown;
      }
    | null;
  unreadCount?: number;
  updatedAt?: Timestamp;
  [k: string]: unknown;
}
/**
 * The conversations of the user; sent on connect (fresh session) and on `refresh_conversations`. A data message: carries `seq` and is replayed on resume.
 */
export interface ConversationsList {
  type: 'conversations_list';
  timestamp?: Timestamp;
  seq?: Seq;
  conversations: ConversationSummary[];
  [k: string]: unknown;
}
/**
 * One customer of the user changed. A data message: carries `seq` and is replayed on resume.
 */
export interface CustomerUpdated {
  type: 'customer_updated';
  timestamp?: Timestamp;
  seq?: Seq;
  customer: CustomerSummary;
  [k: string]: unknown;
}
/**
 * One customer in a customer list.
 */
export interface CustomerSummary {
  id: string | number;
  name?: string;
  email?: string | null;
  phone?: string | null;
  conversationId?: ConversationId | null;
  updatedAt?: Timestamp;
  [k: string]: unknown;
}
/**
 * The customers of the user; sent on connect (fresh session) and on `refresh_customers`. A data message: carries `seq` and is replayed on resume.
 */
export interface CustomersList {
  type: 'customers_list';
  timestamp?: Timestamp;
  seq?: Seq;
  customers: CustomerSummary[];
  [k: string]: unknown;
}
/**
 * An error. Answers a bad client message (the connection stays open) or precedes a 4xxx close, then `error.closeCode` names the code.
 */
export interface ServerError {
  type: 'error';
  timestamp?: Timestamp;
  id?: RequestId;
  error: ErrorInfo;
  [k: string]: unknown;
}
/**
 * The `error` member of an `error` message. `code` is an upper-snake-case string; the known codes are listed in docs/protocol.md ("Errors"), others (such as the legacy `SOCKET_ERROR`) are allowed.
 */
export interface ErrorInfo {
  /**
   * Stable error code.
   */
  code: string;
  /**
   * Human-readable explanation.
   */
  message: string;
  /**
   * Any JSON value. For INVALID_MESSAGE an object `{path, errors}` whose `path` is the JSON Pointer of the failing value (`/` for the root).
   */
  details?: {
    [k: string]: unknown;
  };
  /**
   * Milliseconds to wait before retrying (RATE_LIMITED).
   */
  retryAfterMs?: number;
  /**
   * Present when the server closes the connection right after this message, with this code (CL-001).
   */
  closeCode?: number;
  [k: string]: unknown;
}
/**
 * A sending error of the campaign (not a protocol error). `data.timestamp` is kept from the original campaign messages (ENV-005). A data message: carries `seq` and is replayed on resume.
 */
export interface ErrorUpdate {
  type: 'error_update';
  timestamp?: Timestamp;
  seq?: Seq;
  campaignId: CampaignId;
  data: {
    error: string;
    phone?: string;
    timestamp?: Timestamp;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A member of the conversation read messages up to `messageId`. A data message: carries `seq` and is replayed on resume.
 */
export interface MessageRead {
  type: 'message_read';
  timestamp?: Timestamp;
  seq?: Seq;
  conversationId: ConversationId;
  messageId: string | number;
  userId: UserId;
  [k: string]: unknown;
}
/**
 * A message of the conversation was edited. A data message: carries `seq` and is replayed on resume.
 */
export interface MessageUpdated {
  type: 'message_updated';
  timestamp?: Timestamp;
  seq?: Seq;
  conversationId?: ConversationId;
  message: ChatMessageRecord;
  [k: string]: unknown;
}
/**
 * State of the AI models; on connect and every 10 s. A data message: carries `seq` and is replayed on resume.
 */
export interface ModelsStatus {
  type: 'models_status';
  timestamp?: Timestamp;
  seq?: Seq;
  data: {
    total?: number;
    available?: number;
    loading?: number;
    failed?: number;
    models?: {
      id: string;
      type?: string;
      status?: string;
      success_rate?: number;
      avg_response_time?: number;
      last_used?: Timestamp | null;
      [k: string]: unknown;
    }[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A news item, sent as soon as it is published (filtered by the keywords of `filter`, if any). A data message: carries `seq` and is replayed on resume.
 */
export interface News {
  type: 'news';
  timestamp?: Timestamp;
  seq?: Seq;
  data: {
    title: string;
    description?: string;
    url?: string;
    source?: string;
    published_at?: Timestamp;
    sentiment?: string;
    sentiment_score?: number;
    image_url?: string | null;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A new notification for the subscribed user. A data message: carries `seq` and is replayed on resume.
 */
export interface NotificationNew {
  type: 'notification_new';
  timestamp?: Timestamp;
  seq?: Seq;
  notification: NotificationRecord;
  [k: string]: unknown;
}
/**
 * One notification.
 */
export interface NotificationRecord {
  id: string | number;
  title?: string;
  body?: string;
  kind?: string;
  read?: boolean;
  createdAt?: Timestamp;
  [k: string]: unknown;
}
/**
 * A notification changed, e.g. it was marked read. A data message: carries `seq` and is replayed on resume.
 */
export interface NotificationUpdated {
  type: 'notification_updated';
  timestamp?: Timestamp;
  seq?: Seq;
  notification: NotificationRecord;
  [k: string]: unknown;
}
/**
 * Application ping from the server on chat and market endpoints (HB-006). Clients may answer with `pong`; they are never closed for not answering (HB-007).
 */
export interface ServerPing {
  type: 'ping';
  timestamp?: Timestamp;
  [k: string]: unknown;
}
/**
 * Answer to a client `ping`, within 1 s (HB-003); echoes the ping `id` if it had one.
 */
export interface ServerPong {
  type: 'pong';
  timestamp?: Timestamp;
  id?: RequestId;
  [k: string]: unknown;
}
/**
 * Price of one subscribed symbol; every second per subscribed symbol. A data message: carries `seq` and is replayed on resume.
 */
export interface PriceUpdate {
  type: 'price_update';
  timestamp?: Timestamp;
  seq?: Seq;
  data: PriceQuote;
  source?: string;
  [k: string]: unknown;
}
/**
 * The price of one symbol (shape of the original market data service).
 */
export interface PriceQuote {
  symbol: MarketSymbol;
  price: number;
  /**
   * Change over 24 h, percent.
   */
  change_24h?: number;
  /**
   * Change over 7 days, percent.
   */
  change_7d?: number;
  volume_24h?: number;
  market_cap?: number;
  timestamp?: Timestamp;
  [k: string]: unknown;
}
/**
 * Prices of every known symbol; the answer to `get_all`. A data message: carries `seq` and is replayed on resume.
 */
export interface PricesSnapshot {
  type: 'prices_snapshot';
  timestamp?: Timestamp;
  seq?: Seq;
  data: {
    prices: PriceQuote[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * Sending progress of a campaign. `data.timestamp` is kept from the original campaign messages (ENV-005). A data message: carries `seq` and is replayed on resume.
 */
export interface ProgressUpdate {
  type: 'progress_update';
  timestamp?: Timestamp;
  seq?: Seq;
  campaignId: CampaignId;
  data: {
    progress: {
      sent: number;
      total: number;
      /**
       * Recipient being sent to.
       */
      current?: string;
      failed?: number;
      delivered?: number;
      [k: string]: unknown;
    };
    timestamp?: Timestamp;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * Confirms that the receiver joined a project room. A data message: carries `seq` and is replayed on resume.
 */
export interface ProjectJoined {
  type: 'project_joined';
  timestamp?: Timestamp;
  seq?: Seq;
  projectId: ProjectId;
  [k: string]: unknown;
}
/**
 * Confirms that the receiver left a project room. A data message: carries `seq` and is replayed on resume.
 */
export interface ProjectLeft {
  type: 'project_left';
  timestamp?: Timestamp;
  seq?: Seq;
  projectId: ProjectId;
  [k: string]: unknown;
}
/**
 * A status change, progress report or comment in a project room the receiver is in. A data message: carries `seq` and is replayed on resume.
 */
export interface ProjectUpdate {
  type: 'project_update';
  timestamp?: Timestamp;
  seq?: Seq;
  projectId: ProjectId;
  kind: 'status' | 'progress' | 'comment';
  userId?: UserId;
  data: {
    status?: string;
    progress?: number;
    milestone?: string;
    comment?: string;
    attachments?: unknown[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A QR code to pair the sending account, as a `data:` URL. `data.timestamp` is kept from the original campaign messages (ENV-005). A data message: carries `seq` and is replayed on resume.
 */
export interface QrCode {
  type: 'qr_code';
  timestamp?: Timestamp;
  seq?: Seq;
  campaignId: CampaignId;
  data: {
    qrCode: string;
    timestamp?: Timestamp;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * The requested session could not be resumed; the connection continues as the fresh session `sessionId` (RES-002).
 */
export interface ResumeFailed {
  type: 'resume_failed';
  timestamp?: Timestamp;
  reason:
    | 'unknown_session'
    | 'window_expired'
    | 'user_mismatch'
    | 'seq_ahead'
    | 'seq_unavailable'
    | 'invalid_request';
  /**
   * Id of the new session.
   */
  sessionId?: string;
  [k: string]: unknown;
}
/**
 * Ends the replay of a successful resume (RES-001): `replayed` messages were sent, the last with seq `lastSeq`.
 */
export interface Resumed {
  type: 'resumed';
  timestamp?: Timestamp;
  sessionId: string;
  replayed: number;
  lastSeq?: number;
  [k: string]: unknown;
}
/**
 * Fear & greed index, social and market sentiment; on connect and every 60 s. A data message: carries `seq` and is replayed on resume.
 */
export interface SentimentUpdate {
  type: 'sentiment_update';
  timestamp?: Timestamp;
  seq?: Seq;
  data: {
    fear_greed?: {
      value?: number;
      classification?: string;
      timestamp?: Timestamp;
      [k: string]: unknown;
    };
    social?: {
      twitter?: {
        sentiment?: string;
        score?: number;
        mentions?: number;
        [k: string]: unknown;
      };
      reddit?: {
        sentiment?: string;
        score?: number;
        mentions?: number;
        [k: string]: unknown;
      };
      [k: string]:
        | {
            sentiment?: string;
            score?: number;
            mentions?: number;
            [k: string]: unknown;
          }
        | undefined;
    };
    market?: {
      overall?: string;
      confidence?: number;
      [k: string]: unknown;
    };
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * State of the sending channel, e.g. `ready`, `connecting`, `disconnected`, `qr_required`. `data.timestamp` is kept from the original campaign messages (ENV-005). A data message: carries `seq` and is replayed on resume.
 */
export interface StatusUpdate {
  type: 'status_update';
  timestamp?: Timestamp;
  seq?: Seq;
  campaignId: CampaignId;
  data: {
    status: string;
    message?: string;
    timestamp?: Timestamp;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * State of the market data service (original shape: the sections sit at the top level, not under `data`); sent on connect and every 5 s. A data message: carries `seq` and is replayed on resume.
 */
export interface SystemStatus {
  type: 'system_status';
  timestamp?: Timestamp;
  seq?: Seq;
  ai_models?: {
    total?: number;
    available?: number;
    failed?: number;
    loading?: number;
    models?: {
      id: string;
      status?: string;
      success_rate?: number;
      [k: string]: unknown;
    }[];
    [k: string]: unknown;
  };
  data_sources?: {
    total?: number;
    active?: number;
    inactive?: number;
    categories?: {
      [k: string]: {
        total?: number;
        active?: number;
        [k: string]: unknown;
      };
    };
    pools?: number;
    sources?: unknown[];
    [k: string]: unknown;
  };
  database?: {
    online?: boolean;
    last_check?: Timestamp;
    ai_models_db?: boolean;
    main_db?: boolean;
    [k: string]: unknown;
  };
  stats?: {
    total_sources?: number;
    active_sources?: number;
    total_models?: number;
    available_models?: number;
    requests_last_minute?: number;
    requests_last_hour?: number;
    [k: string]: unknown;
  };
  agent_running?: boolean;
  [k: string]: unknown;
}
/**
 * A user joined the conversation or project room the receiver is in. A data message: carries `seq` and is replayed on resume.
 */
export interface UserJoined {
  type: 'user_joined';
  timestamp?: Timestamp;
  seq?: Seq;
  userId: UserId;
  conversationId?: ConversationId;
  projectId?: ProjectId;
  [k: string]: unknown;
}
/**
 * A user left the conversation or project room the receiver is in. A data message: carries `seq` and is replayed on resume.
 */
export interface UserLeft {
  type: 'user_left';
  timestamp?: Timestamp;
  seq?: Seq;
  userId: UserId;
  conversationId?: ConversationId;
  projectId?: ProjectId;
  [k: string]: unknown;
}
/**
 * Another member of the conversation started or stopped typing. A data message: carries `seq` and is replayed on resume.
 */
export interface UserTyping {
  type: 'user_typing';
  timestamp?: Timestamp;
  seq?: Seq;
  conversationId: ConversationId;
  userId: UserId;
  isTyping?: boolean;
  [k: string]: unknown;
}
/**
 * Joins the room of a conversation of the user.
 */
export interface ChatJoin {
  type: 'chat_join';
  id?: RequestId;
  conversationId: ConversationId;
}
/**
 * Leaves the room of a conversation.
 */
export interface ChatLeave {
  type: 'chat_leave';
  id?: RequestId;
  conversationId: ConversationId;
}
/**
 * Sends a message to a conversation. With an `id` the server acknowledges with `ack.data.messageId`.
 */
export interface ClientChatMessage {
  type: 'chat_message';
  id?: RequestId;
  conversationId: ConversationId;
  content: string;
  contentType?: 'text' | 'image' | 'file';
  metadata?: {
    [k: string]: unknown;
  };
}
/**
 * Marks the messages of a conversation read up to `messageId`.
 */
export interface ChatRead {
  type: 'chat_read';
  id?: RequestId;
  conversationId: ConversationId;
  messageId: string | number;
}
/**
 * Tells the other members that the user started or stopped typing.
 */
export interface ChatTyping {
  type: 'chat_typing';
  id?: RequestId;
  conversationId: ConversationId;
  isTyping: boolean;
}
/**
 * Restricts `news` to items that mention one of the keywords (case-insensitive); an empty list removes the filter. The legacy form names the request in `action` instead of `type` (ENV-006).
 */
export interface Filter {
  type?: 'filter';
  /**
   * Legacy name of `type`.
   */
  action?: 'filter';
  id?: RequestId;
  /**
   * @maxItems 50
   */
  keywords: string[];
}
/**
 * Asks for a `prices_snapshot` of every symbol. The legacy form names the request in `action` instead of `type` (ENV-006).
 */
export interface GetAll {
  type?: 'get_all';
  /**
   * Legacy name of `type`.
   */
  action?: 'get_all';
  id?: RequestId;
}
/**
 * Asks for a fresh `campaign_update` snapshot; with an `id` it is acknowledged first.
 */
export interface GetCampaign {
  type: 'get_campaign';
  id?: RequestId;
}
/**
 * Marks one notification read.
 */
export interface NotificationRead {
  type: 'notification_read';
  id?: RequestId;
  notificationId: string | number;
}
/**
 * Subscribes to the notifications of the user (`userId`, if given, must be the authenticated user).
 */
export interface NotificationsSubscribe {
  type: 'notifications_subscribe';
  id?: RequestId;
  userId?: UserId;
}
/**
 * Stops the delivery of notifications.
 */
export interface NotificationsUnsubscribe {
  type: 'notifications_unsubscribe';
  id?: RequestId;
  userId?: UserId;
}
/**
 * Application ping from the client; the server answers `pong` within 1 s (HB-003). On the campaign endpoint the bare text frame `ping` is used as well.
 */
export interface ClientPing {
  type: 'ping';
  id?: RequestId;
  timestamp?: Timestamp;
}
/**
 * Optional answer to a server `ping`.
 */
export interface ClientPong {
  type: 'pong';
  id?: RequestId;
  timestamp?: Timestamp;
}
/**
 * Comments on a project.
 */
export interface ProjectComment {
  type: 'project_comment';
  id?: RequestId;
  projectId: ProjectId;
  comment: string;
  /**
   * @maxItems 20
   */
  attachments?:
    | []
    | [unknown]
    | [unknown, unknown]
    | [unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ];
}
/**
 * Joins a project room.
 */
export interface ProjectJoin {
  type: 'project_join';
  id?: RequestId;
  projectId: ProjectId;
}
/**
 * Leaves a project room.
 */
export interface ProjectLeave {
  type: 'project_leave';
  id?: RequestId;
  projectId: ProjectId;
}
/**
 * Reports the progress of a project, in percent.
 */
export interface ProjectProgress {
  type: 'project_progress';
  id?: RequestId;
  projectId: ProjectId;
  progress: number;
  milestone?: string;
}
/**
 * Changes the status of a project.
 */
export interface ProjectStatusUpdate {
  type: 'project_status_update';
  id?: RequestId;
  projectId: ProjectId;
  status: string;
  updatedBy?: UserId;
}
/**
 * Asks for a new `conversations_list`.
 */
export interface RefreshConversations {
  type: 'refresh_conversations';
  id?: RequestId;
}
/**
 * Asks for a new `customers_list`.
 */
export interface RefreshCustomers {
  type: 'refresh_customers';
  id?: RequestId;
}
/**
 * Adds symbols to the price subscriptions of the connection. With an `id` the ack carries the current subscriptions. The legacy form names the request in `action` instead of `type` (ENV-006).
 */
export interface Subscribe {
  type?: 'subscribe';
  /**
   * Legacy name of `type`.
   */
  action?: 'subscribe';
  id?: RequestId;
  symbols: MarketSymbolList;
}
/**
 * Removes symbols from the price subscriptions of the connection. The legacy form names the request in `action` instead of `type` (ENV-006).
 */
export interface Unsubscribe {
  type?: 'unsubscribe';
  /**
   * Legacy name of `type`.
   */
  action?: 'unsubscribe';
  id?: RequestId;
  symbols: MarketSymbolList;
}
/**
 * Joins the room of a conversation of the user.
 */
export interface ChatJoinEvent {
  conversationId: ConversationId;
}
/**
 * Leaves the room of a conversation.
 */
export interface ChatLeaveEvent {
  conversationId: ConversationId;
}
/**
 * Sends a message to a conversation: the payload of `chat:message` and of `message:send` (whose acknowledgement carries `data.messageId`). `type` is the content type, the WebSocket message's `contentType`.
 */
export interface ChatMessageEvent {
  conversationId: ConversationId;
  content: string;
  type?: 'text' | 'image' | 'file';
  metadata?: {
    [k: string]: unknown;
  };
}
/**
 * Marks the messages of a conversation read up to `messageId`.
 */
export interface ChatReadEvent {
  conversationId: ConversationId;
  messageId: string | number;
}
/**
 * Tells the other members that the user started or stopped typing.
 */
export interface ChatTypingEvent {
  conversationId: ConversationId;
  isTyping: boolean;
}
/**
 * Marks one notification read.
 */
export interface NotificationReadEvent {
  notificationId: string | number;
}
/**
 * Subscribes to the notifications of the user (`userId`, if given, must be the authenticated user).
 */
export interface NotificationsSubscribeEvent {
  userId?: UserId;
}
/**
 * Stops the delivery of notifications.
 */
export interface NotificationsUnsubscribeEvent {
  userId?: UserId;
}
/**
 * Comments on a project.
 */
export interface ProjectCommentEvent {
  projectId: ProjectId;
  comment: string;
  /**
   * @maxItems 20
   */
  attachments?:
    | []
    | [unknown]
    | [unknown, unknown]
    | [unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ]
    | [
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
        unknown,
      ];
}
/**
 * Joins a project room.
 */
export interface ProjectJoinEvent {
  projectId: ProjectId;
}
/**
 * Leaves a project room.
 */
export interface ProjectLeaveEvent {
  projectId: ProjectId;
}
/**
 * Reports the progress of a project, in percent.
 */
export interface ProjectProgressEvent {
  projectId: ProjectId;
  progress: number;
  milestone?: string;
}
/**
 * Changes the status of a project.
 */
export interface ProjectStatusUpdateEvent {
  projectId: ProjectId;
  status: string;
  updatedBy?: UserId;
}
