/**
 * Where a deployment keeps things in Redis. Every key starts with `tw:`; a Redis (or a database of one,
 * `redis://host/2`) serves one deployment.
 */
export const PREFIX = 'tw:';

export const RedisKeys = {
  /** When the deployment's simulation started: its instances share the clocks of their sources. */
  epoch: `${PREFIX}epoch`,
  /** Present while the instance lives (refreshed, with a time to live). */
  instance: (instanceId: string) => `${PREFIX}inst:${instanceId}`,
  instancePrefix: `${PREFIX}inst:`,
  /** Pub/sub channel of one instance: session takeovers and their answers. */
  control: (instanceId: string) => `${PREFIX}ctl:${instanceId}`,
  /** A session: endpoint, user, params, owner, epoch, attached, state, topic cursors (hash). */
  session: (sessionId: string) => `${PREFIX}s:${sessionId}`,
  sessionPrefix: `${PREFIX}s:`,
  /** A session's data messages for replay (stream, entry id `<seq>-0`). */
  log: (sessionId: string) => `${PREFIX}s:${sessionId}:log`,
  /** A session's remembered replies by request key (hash of JSON). */
  replies: (sessionId: string) => `${PREFIX}s:${sessionId}:req`,
  /** Why a session that ended cannot be resumed (string, with a time to live). */
  ended: (sessionId: string) => `${PREFIX}ended:${sessionId}`,
  /** A bus topic (stream of deliveries). */
  topic: (topic: string) => `${PREFIX}t:${topic}`,
  topicPrefix: `${PREFIX}t:`,
  /** Which instance produces a simulated source. */
  lease: (name: string) => `${PREFIX}lease:${name}`,
  conversation: (id: number) => `${PREFIX}chat:conv:${id}`,
  customer: (id: number) => `${PREFIX}chat:cust:${id}`,
  /** A conversation's kept messages: ids in order (list) and the messages (hash). */
  messageIds: (conversationId: number) => `${PREFIX}chat:ids:${conversationId}`,
  messages: (conversationId: number) => `${PREFIX}chat:msg:${conversationId}`,
  nextMessageId: `${PREFIX}chat:next`,
  notificationIds: (userId: string) => `${PREFIX}notif:ids:${userId}`,
  notifications: (userId: string) => `${PREFIX}notif:msg:${userId}`,
  nextNotificationId: `${PREFIX}notif:next`,
  campaign: (id: number) => `${PREFIX}campaign:${id}`,
  /** Messages of a limit key (a user) in its current window: one field per instance (hash, time to live). */
  limitWindow: (key: string) => `${PREFIX}lim:msg:${key}`,
  /** A gauge (a user's open connections): one field per instance holding some (hash). */
  limitGauge: (key: string) => `${PREFIX}lim:gauge:${key}`,
  /** A barred key (string, with a time to live). */
  limitBar: (key: string) => `${PREFIX}lim:bar:${key}`,
  /** Pub/sub channel on which each count of a window is told to every instance. */
  limitCounts: `${PREFIX}lim:counts`,
} as const;
