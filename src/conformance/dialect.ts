/**
 * Recognises a server that speaks a source system's dialect (docs/protocol.md, section 15.6) instead of
 * tidewire.v1, from what the preflight saw on one endpoint of a family: the subprotocol it selected, the
 * first message, and (market) how it answered a request in the `{action}` form. Then the report's first
 * lines can say "this is source 004's market-data dialect; for tidewire.v1 it lacks connection_established,
 * seq …" instead of a list of failures.
 *
 * The message types of each dialect come from the table the reference server speaks them by
 * (src/protocol/dialects.ts); the shape of the first message (a `campaignId` with `data.timestamp`, a
 * top-level `timestamp`, a greeting without a session) tells a source system from a server that merely
 * reuses a type name.
 */
import { SUBPROTOCOL } from '../protocol/constants.js';
import { DIALECTS, dialectServerTypes, type DialectSpec } from '../protocol/dialects.js';
import { ENDPOINTS, type EndpointName, type Family } from '../protocol/endpoints.js';
import { establishedProblems } from './checks/handshake.js';
import type { DialectFinding, ReceivedMessage } from './types.js';

export interface FamilyObservation {
  family: Family;
  /** The endpoint observed: the family's discovery endpoint, or the one of the family the server serves. */
  endpoint: EndpointName;
  /** The subprotocol the server selected ('' for none) when the runner offered tidewire.v1. */
  protocol: string;
  /** The first message after the upgrade, when one came. */
  first: ReceivedMessage | undefined;
  /** The reply to `{"action":"get_all"}` on /ws/market_data, when the preflight asked (market only). */
  actionReply?: ReceivedMessage;
}

function dataTypesOf(family: Family): Set<string> {
  return new Set(ENDPOINTS.filter((e) => e.family === family).flatMap((e) => e.serverData));
}

/** The dialect of an endpoint whose first message was not a complete `connection_established`, if known. */
export function recogniseDialect(seen: FamilyObservation): DialectFinding | undefined {
  const spec = DIALECTS.find((d) => d.serverTypes[seen.endpoint] !== undefined);
  const evidence = spec && seen.first ? evidenceOf(spec, seen, seen.first) : undefined;
  if (spec === undefined || evidence === undefined) return undefined;
  return {
    family: seen.family,
    dialect: spec.name,
    source: spec.source,
    system: spec.system,
    evidence,
    missing: missingForTidewire(seen),
  };
}

/** What in the first message is the dialect's own, or undefined when it is not the dialect's. */
function evidenceOf(spec: DialectSpec, seen: FamilyObservation, first: ReceivedMessage): string | undefined {
  const types = dialectServerTypes(spec, seen.endpoint);
  const json = first.json;
  switch (spec.name) {
    case 'campaign-sender': {
      if (spec.textFrames.includes(first.text)) {
        return `a bare text ${first.text} and no connection_established`;
      }
      const data = json?.data as Record<string, unknown> | undefined;
      const own =
        types.includes(first.type ?? '') &&
        typeof json?.campaignId === 'number' &&
        typeof data?.timestamp === 'string';
      return own
        ? `${first.type} {type, campaignId, data:{…, timestamp}} first, no connection_established`
        : undefined;
    }
    case 'market-data': {
      // The source lists a `ping` message on every endpoint: a server built from it may send one first.
      const own =
        typeof json?.timestamp === 'string' && (first.type === 'ping' || types.includes(first.type ?? ''));
      if (!own) return undefined;
      const answered =
        seen.actionReply?.type !== undefined
          ? `; answers {"action":"get_all"} with ${seen.actionReply.type}`
          : '';
      return `${first.type} as {type, timestamp, …} first, no connection_established${answered}`;
    }
    case 'pilito': {
      const own =
        first.type === 'connection_established' &&
        types.includes(first.type) &&
        typeof json?.message === 'string' &&
        json.sessionId === undefined;
      return own
        ? 'connection_established {type, message, timestamp} without sessionId or timers'
        : undefined;
    }
  }
}

/** What the endpoint lacks for tidewire.v1, from what was seen, each with the requirement it breaks. */
function missingForTidewire(seen: FamilyObservation): string[] {
  const missing: string[] = [];
  const first = seen.first;
  if (first?.type === 'connection_established') {
    const problems = establishedProblems(first.json ?? {});
    if (problems.length > 0) missing.push(`${problems.join(', ')} in connection_established (HS-002)`);
  } else {
    missing.push('connection_established (sessionId, protocolVersion, timers) (HS-002)');
  }
  if (seen.protocol !== SUBPROTOCOL) missing.push(`subprotocol ${SUBPROTOCOL} (HS-003)`);
  const sample = [first, seen.actionReply].find(
    (m) => m?.json !== undefined && m.type !== 'connection_established',
  );
  if (sample?.json !== undefined) {
    if (typeof sample.json.timestamp !== 'string') {
      missing.push('a top-level timestamp on every message (ENV-003)');
    }
    if (dataTypesOf(seen.family).has(sample.type ?? '') && sample.json.seq === undefined) {
      missing.push('seq on data messages (ENV-004)');
    }
  }
  return missing;
}
