/**
 * The endpoint catalogue: every endpoint of the three families, its path, its handshake parameters
 * and the message types it carries in each direction. asyncapi.yaml describes the same catalogue
 * for people and generators; test/protocol/catalogue.test.ts keeps the two in step.
 */

export type Family = 'campaign' | 'chat' | 'market';

export type EndpointName =
  | 'campaigns'
  | 'chat'
  | 'conversations'
  | 'customers'
  | 'notifications'
  | 'projects'
  | 'monitoring'
  | 'market_data'
  | 'news'
  | 'sentiment'
  | 'huggingface';

export interface QueryParam {
  name: string;
  required: boolean;
  /** `integer` params must match /^[1-9][0-9]*$/; anything else is a 4400. */
  kind: 'integer' | 'string';
  description: string;
}

export interface EndpointSpec {
  name: EndpointName;
  family: Family;
  path: string;
  /** Scope and other endpoint-specific query parameters (token, resume and lastSeq are common to all). */
  params: readonly QueryParam[];
  /** How application pings look here: the campaign endpoint keeps its bare text `ping`/`pong`. */
  appPing: 'text' | 'json';
  /** Server→client data messages: they carry `seq` and are replayed on resume. */
  serverData: readonly string[];
  /** Client→server messages specific to the endpoint (the common ones are in COMMON_CLIENT_TYPES). */
  clientTypes: readonly string[];
}

/** Server→client control messages every endpoint may send; they carry no `seq`. */
export const COMMON_SERVER_CONTROL = [
  'connection_established',
  'authentication_error',
  'error',
  'ack',
  'ping',
  'pong',
  'resumed',
  'resume_failed',
] as const;

/** Client→server messages every endpoint accepts. */
export const COMMON_CLIENT_TYPES = ['ping', 'pong'] as const;

/** Market requests may use the legacy `{action: …}` form instead of `{type: …}`. */
export const LEGACY_ACTIONS: Readonly<Record<string, string>> = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  get_all: 'get_all',
  filter: 'filter',
};

const conversationParam: QueryParam = {
  name: 'conversationId',
  required: false,
  kind: 'integer',
  description: 'Conversation to join on connect.',
};

export const ENDPOINTS: readonly EndpointSpec[] = [
  {
    name: 'campaigns',
    family: 'campaign',
    path: '/ws/campaigns',
    params: [
      { name: 'campaignId', required: true, kind: 'integer', description: 'Campaign to follow.' },
      { name: 'userId', required: true, kind: 'integer', description: 'User who owns the campaign.' },
    ],
    appPing: 'text',
    serverData: [
      'campaign_update',
      'progress_update',
      'status_update',
      'error_update',
      'qr_code',
      'completion_update',
    ],
    clientTypes: ['get_campaign'],
  },
  {
    name: 'chat',
    family: 'chat',
    path: '/ws/chat/',
    params: [conversationParam],
    appPing: 'json',
    serverData: [
      'chat_message',
      'message_updated',
      'ai_message',
      'user_typing',
      'message_read',
      'user_joined',
      'user_left',
    ],
    clientTypes: ['chat_join', 'chat_leave', 'chat_message', 'chat_typing', 'chat_read'],
  },
  {
    name: 'conversations',
    family: 'chat',
    path: '/ws/conversations/',
    params: [],
    appPing: 'json',
    serverData: ['conversations_list', 'conversation_updated'],
    clientTypes: ['refresh_conversations'],
  },
  {
    name: 'customers',
    family: 'chat',
    path: '/ws/customers/',
    params: [],
    appPing: 'json',
    serverData: ['customers_list', 'customer_updated'],
    clientTypes: ['refresh_customers'],
  },
  {
    name: 'notifications',
    family: 'chat',
    path: '/ws/notifications/',
    params: [],
    appPing: 'json',
    serverData: ['notification_new', 'notification_updated'],
    clientTypes: ['notifications_subscribe', 'notifications_unsubscribe', 'notification_read'],
  },
  {
    name: 'projects',
    family: 'chat',
    path: '/ws/projects/',
    params: [],
    appPing: 'json',
    serverData: ['project_joined', 'project_left', 'project_update', 'user_joined', 'user_left'],
    clientTypes: [
      'project_join',
      'project_leave',
      'project_status_update',
      'project_progress',
      'project_comment',
    ],
  },
  {
    name: 'monitoring',
    family: 'market',
    path: '/api/monitoring/ws',
    params: [],
    appPing: 'json',
    serverData: ['system_status'],
    clientTypes: [],
  },
  {
    name: 'market_data',
    family: 'market',
    path: '/ws/market_data',
    params: [],
    appPing: 'json',
    serverData: ['price_update', 'prices_snapshot'],
    clientTypes: ['subscribe', 'unsubscribe', 'get_all'],
  },
  {
    name: 'news',
    family: 'market',
    path: '/ws/news',
    params: [],
    appPing: 'json',
    serverData: ['news'],
    clientTypes: ['filter'],
  },
  {
    name: 'sentiment',
    family: 'market',
    path: '/ws/sentiment',
    params: [],
    appPing: 'json',
    serverData: ['sentiment_update'],
    clientTypes: [],
  },
  {
    name: 'huggingface',
    family: 'market',
    path: '/ws/huggingface',
    params: [],
    appPing: 'json',
    serverData: ['models_status'],
    clientTypes: [],
  },
];

export const FAMILIES: readonly Family[] = ['campaign', 'chat', 'market'];

const byPath = new Map(ENDPOINTS.map((e) => [e.path, e]));
const byName = new Map(ENDPOINTS.map((e) => [e.name, e]));

/** The endpoint at a request path; a missing trailing slash on the chat paths is tolerated. */
export function endpointForPath(pathname: string): EndpointSpec | undefined {
  return byPath.get(pathname) ?? byPath.get(pathname.endsWith('/') ? pathname.slice(0, -1) : `${pathname}/`);
}

export function endpoint(name: EndpointName): EndpointSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`unknown endpoint ${name}`);
  return spec;
}

/** Every server→client type an endpoint may send. */
export function serverTypes(spec: EndpointSpec): string[] {
  return [...COMMON_SERVER_CONTROL, ...spec.serverData];
}

/** Every client→server type an endpoint accepts. */
export function clientTypes(spec: EndpointSpec): string[] {
  return [...COMMON_CLIENT_TYPES, ...spec.clientTypes];
}
