/**
 * Source dialects (docs/protocol.md, section 15.6): what a server sends on a connection whose client did
 * not offer `tidewire.v1`. A dialect is named after the profile of its source system and narrows, per
 * endpoint, the server messages to the types that system had; everything else about the connection is
 * the protocol's. The reference server applies it at its transport seam and the conformance runner
 * uses the same table to check it and to recognise servers that speak only a dialect.
 */
import { BEARER_SUBPROTOCOL_PREFIX, CAMPAIGN_SUBPROTOCOL } from './constants.js';
import { endpoint, type EndpointName } from './endpoints.js';
import type { ProfileName } from './profiles.js';

export type DialectName = Extract<ProfileName, 'campaign-sender' | 'pilito' | 'market-data'>;

export interface DialectSpec {
  name: DialectName;
  /** The source document whose clients speak it. */
  source: '001' | '003' | '004';
  /** The source system, for reports. */
  system: string;
  /** Server message types sent on each endpoint of the dialect; nothing else is. */
  serverTypes: Readonly<Partial<Record<EndpointName, readonly string[]>>>;
  /** Bare text frames the dialect keeps (source 001's heartbeat). */
  textFrames: readonly string[];
}

const PILITO_CONTROL = ['connection_established', 'authentication_error'] as const;

export const DIALECTS: readonly DialectSpec[] = [
  {
    name: 'campaign-sender',
    source: '001',
    system: 'the campaign sender',
    // Every data message of the endpoint is source 001's; the control messages are not.
    serverTypes: { campaigns: endpoint('campaigns').serverData },
    textFrames: ['ping', 'pong'],
  },
  {
    name: 'pilito',
    source: '003',
    system: 'Pilito customer chat',
    serverTypes: {
      chat: [...PILITO_CONTROL, 'chat_message', 'ai_message'],
      conversations: [...PILITO_CONTROL, 'conversations_list', 'conversation_updated'],
      customers: [...PILITO_CONTROL, 'customers_list'],
    },
    textFrames: [],
  },
  {
    name: 'market-data',
    source: '004',
    system: 'the market data service',
    serverTypes: {
      monitoring: ['system_status', 'error'],
      // `prices_snapshot` is the protocol's answer to the source's own `get_all` request.
      market_data: ['price_update', 'prices_snapshot', 'error'],
      news: ['news', 'error'],
      sentiment: ['sentiment_update', 'error'],
      huggingface: ['models_status', 'error'],
    },
    textFrames: [],
  },
];

const byName = new Map(DIALECTS.map((d) => [d.name, d]));

export function dialect(name: DialectName): DialectSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`unknown dialect ${name}`);
  return spec;
}

/** The dialect spoken on an endpoint among those of `offeredProfiles`, if any. */
export function dialectOfEndpoint(
  name: EndpointName,
  offeredProfiles: readonly ProfileName[],
): DialectSpec | undefined {
  return DIALECTS.find((d) => d.serverTypes[name] !== undefined && offeredProfiles.includes(d.name));
}

/**
 * Whether a client that offered `protocols` on an endpoint is spoken to in a dialect rather than in
 * `tidewire.v1`: it offered no subprotocol (`bearer.` token entries aside), or only the campaign
 * endpoint's legacy `campaign-updates`. A client that offered only unsupported entries is refused in the
 * protocol's own words (HS-005), and one that offered `tidewire.v1` gets the full protocol.
 */
export function wantsDialect(protocols: readonly string[], name: EndpointName): boolean {
  const entries = protocols.filter((p) => !p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (entries.length === 0) return true;
  return name === 'campaigns' && entries.every((p) => p === CAMPAIGN_SUBPROTOCOL);
}

/** The message types a dialect sends on an endpoint (empty when the endpoint is not the dialect's). */
export function dialectServerTypes(spec: DialectSpec, name: EndpointName): readonly string[] {
  return spec.serverTypes[name] ?? [];
}
