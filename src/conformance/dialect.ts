/**
 * Recognises a server that speaks a source system's dialect instead of tidewire.v1, from what the
 * preflight saw on one endpoint family: the subprotocol it selected, the first message, and (market) how it
 * answered a request in the `{action}` form. Then the report's first lines can say "this is source 004's
 * market service; for tidewire.v1 it lacks connection_established, seq …" instead of a list of failures.
 */
import { SUBPROTOCOL } from '../protocol/constants.js';
import { ENDPOINTS, type Family } from '../protocol/endpoints.js';
import { establishedProblems } from './checks/handshake.js';
import type { DialectFinding, ReceivedMessage } from './types.js';

export interface FamilyObservation {
  family: Family;
  /** The subprotocol the server selected ('' for none) when the runner offered tidewire.v1. */
  protocol: string;
  /** The first message after the upgrade, when one came. */
  first: ReceivedMessage | undefined;
  /** The reply to `{"action":"get_all"}` on /ws/market_data, when the preflight asked (market only). */
  actionReply?: ReceivedMessage;
}

const SYSTEMS: Record<string, string> = {
  '001': 'the campaign sender',
  '003': 'Pilito customer chat',
  '004': 'the market data service',
};

function dataTypesOf(family: Family): Set<string> {
  return new Set(ENDPOINTS.filter((e) => e.family === family).flatMap((e) => e.serverData));
}

/** The dialect of a family whose first message was not a complete `connection_established`, if known. */
export function recogniseDialect(seen: FamilyObservation): DialectFinding | undefined {
  const first = seen.first;
  const json = first?.json;
  if (seen.family === 'campaign' && first !== undefined) {
    if (first.text === 'ping') return finding(seen, '001', 'a bare text ping and no connection_established');
    const data = json?.data as Record<string, unknown> | undefined;
    if (
      first.type !== undefined &&
      dataTypesOf('campaign').has(first.type) &&
      typeof json?.campaignId === 'number' &&
      typeof data?.timestamp === 'string'
    ) {
      return finding(
        seen,
        '001',
        `${first.type} {type, campaignId, data:{…, timestamp}} first, no connection_established`,
      );
    }
  }
  if (seen.family === 'market' && json !== undefined && typeof json.timestamp === 'string') {
    const type = first?.type;
    if (type !== undefined && (type === 'ping' || dataTypesOf('market').has(type))) {
      const answered =
        seen.actionReply?.type !== undefined
          ? `; answers {"action":"get_all"} with ${seen.actionReply.type}`
          : '';
      return finding(
        seen,
        '004',
        `${type} as {type, timestamp, …} first, no connection_established${answered}`,
      );
    }
  }
  if (seen.family === 'chat' && first?.type === 'connection_established' && json !== undefined) {
    if (typeof json.message === 'string' && json.sessionId === undefined) {
      return finding(
        seen,
        '003',
        'connection_established {type, message, timestamp} without sessionId or timers',
      );
    }
  }
  return undefined;
}

function finding(seen: FamilyObservation, source: string, evidence: string): DialectFinding {
  return {
    family: seen.family,
    source,
    system: SYSTEMS[source],
    evidence,
    missing: missingForTidewire(seen),
  };
}

/** What the family lacks for tidewire.v1, from what was seen. */
function missingForTidewire(seen: FamilyObservation): string[] {
  const missing: string[] = [];
  const first = seen.first;
  if (first?.type === 'connection_established') {
    const problems = establishedProblems(first.json ?? {});
    if (problems.length > 0) missing.push(`${problems.join(', ')} in connection_established`);
  } else {
    missing.push('connection_established (sessionId, protocolVersion, timers)');
  }
  if (seen.protocol !== SUBPROTOCOL) missing.push(`subprotocol ${SUBPROTOCOL}`);
  const sample = [first, seen.actionReply].find(
    (m) => m?.json !== undefined && m.type !== 'connection_established',
  );
  if (sample?.json !== undefined) {
    if (typeof sample.json.timestamp !== 'string') missing.push('a top-level timestamp on every message');
    if (dataTypesOf(seen.family).has(sample.type ?? '') && sample.json.seq === undefined) {
      missing.push('seq on data messages');
    }
  }
  return missing;
}
