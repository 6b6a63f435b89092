/**
 * Deliberate faults of the reference server. `createServer({ faults: ['HB-003'] })` breaks exactly the
 * rule with that requirement ID and nothing else, so the conformance runner can be shown to catch each
 * rule. Every fault branch of the server asks `faults.has(id)`; the helpers below hold the larger ones
 * so the normal path stays readable.
 */
import type { DialectName } from '../protocol/dialects.js';
import type { EndpointSpec } from '../protocol/endpoints.js';

export const FAULT_IDS = [
  'HS-001',
  'HS-002',
  'HS-003',
  'HS-004',
  'HS-005',
  'HS-006',
  'HS-007',
  'HS-008',
  'AUTH-001',
  'AUTH-002',
  'AUTH-003',
  'AUTH-004',
  'AUTH-005',
  'AUTH-006',
  'AUTH-007',
  'AUTH-008',
  'HB-001',
  'HB-002',
  'HB-003',
  'HB-004',
  'HB-005',
  'HB-006',
  'HB-007',
  'CL-001',
  'CL-002',
  'CL-003',
  'CL-004',
  'CL-005',
  'CL-006',
  'ENV-001',
  'ENV-002',
  'ENV-003',
  'ENV-004',
  'ENV-005',
  'ENV-006',
  'ERR-001',
  'ERR-002',
  'ERR-003',
  'ERR-004',
  'ACK-001',
  'ACK-002',
  'RL-001',
  'RL-002',
  'RL-003',
  'RES-001',
  'RES-002',
  'RES-003',
  'RES-004',
  'RES-005',
  'RES-006',
  'RES-007',
  'RES-008',
  'RES-009',
  'SEC-001',
  'SEC-002',
  'SRC-001',
  'SRC-002',
  'SRC-003',
] as const;

export type FaultId = (typeof FAULT_IDS)[number];

/** HS-001: the one path refused with 404 although its family is served. */
export const HS_001_REFUSED_PATH = '/ws/news';
/** HB-001: RFC pings come this many times the advertised interval apart (late, yet HB-002 still works). */
export const HB_001_PING_INTERVAL_FACTOR = 2.5;
/** ENV-001: the non-JSON text frame sent after `connection_established` on chat and market endpoints. */
export const ENV_001_FRAME = 'hello';
/** ENV-004: the seq number that is skipped (1, 2, 4, …). */
export const ENV_004_SKIPPED_SEQ = 3;
/** SRC-001 … SRC-003: the message type each source dialect lets through although its source had none. */
export const SRC_LEAKED_TYPES: Readonly<Record<'SRC-001' | 'SRC-002' | 'SRC-003', readonly string[]>> = {
  'SRC-001': ['connection_established'],
  'SRC-002': ['ping', 'pong'],
  'SRC-003': ['error'],
};
/** CL-002: bytes of the over-long close reason (one more than RFC 6455 allows). */
export const CL_002_REASON_BYTES = 124;

const KNOWN: ReadonlySet<string> = new Set(FAULT_IDS);
const DIALECT_RULES = {
  'campaign-sender': 'SRC-001',
  'market-data': 'SRC-002',
  pilito: 'SRC-003',
} as const satisfies Record<DialectName, keyof typeof SRC_LEAKED_TYPES>;

export class Faults {
  private readonly active: ReadonlySet<FaultId>;

  constructor(ids: readonly string[] = []) {
    const unknown = ids.filter((id) => !KNOWN.has(id));
    if (unknown.length > 0) {
      throw new Error(`unknown fault ${unknown.join(', ')}; faults are requirement IDs such as HB-003`);
    }
    this.active = new Set(ids as FaultId[]);
  }

  has(id: FaultId): boolean {
    return this.active.has(id);
  }

  /** The seq that follows `seq` (ENV-004 skips one). */
  seqAfter(seq: number): number {
    const next = seq + 1;
    return this.has('ENV-004') && next === ENV_004_SKIPPED_SEQ ? next + 1 : next;
  }

  /** True when `bendOutgoing` may change a data message (one of ENV-002, ENV-003, ENV-005 is active). */
  bendsDataMessages(): boolean {
    return this.has('ENV-002') || this.has('ENV-003') || this.has('ENV-005');
  }

  /**
   * The single place where outgoing JSON messages are bent by the envelope faults (ENV-002, ENV-003,
   * ENV-005). Returns the message unchanged when none applies.
   */
  bendOutgoing(
    spec: EndpointSpec,
    message: Record<string, unknown>,
    isData: boolean,
  ): Record<string, unknown> {
    if (!isData) return message;
    let bent = message;
    if (this.has('ENV-002') && bent.type === 'price_update' && isRecord(bent.data)) {
      bent = { ...bent, data: { ...bent.data, price: String(bent.data.price) } };
    }
    if (this.has('ENV-003')) {
      const { timestamp: _omitted, ...rest } = bent;
      bent = rest as Record<string, unknown>;
    }
    // ENV-005: a schema-valid integer, just not the requested campaign.
    if (this.has('ENV-005') && spec.family === 'campaign' && typeof bent.campaignId === 'number') {
      bent = { ...bent, campaignId: bent.campaignId + 1 };
    }
    return bent;
  }

  /** SRC-001 … SRC-003: types a source dialect lets through (the fault of that dialect's rule). */
  dialectLeaks(dialect: DialectName): readonly string[] {
    const id = DIALECT_RULES[dialect];
    return this.has(id) ? SRC_LEAKED_TYPES[id] : [];
  }

  /** ENV-001: extra non-JSON frames that follow a control message. */
  framesAfter(spec: EndpointSpec, type: string): string[] {
    return this.has('ENV-001') && type === 'connection_established' && spec.family !== 'campaign'
      ? [ENV_001_FRAME]
      : [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * CL-002: a close frame whose reason is 124 bytes, one more than RFC 6455 allows. `ws` refuses to send
 * such a frame, so it is written by hand (FIN + opcode 8, unmasked, 16-bit extended length).
 */
export function overlongCloseFrame(code: number, reason: string): Buffer {
  const reasonBytes = Buffer.alloc(CL_002_REASON_BYTES, 'x');
  Buffer.from(reason.replace(/[^\x20-\x7e]/g, '?'), 'ascii').copy(reasonBytes, 0, 0, CL_002_REASON_BYTES);
  const payloadLength = 2 + reasonBytes.length;
  const header = Buffer.from([0x88, 126, payloadLength >> 8, payloadLength & 0xff, code >> 8, code & 0xff]);
  return Buffer.concat([header, reasonBytes]);
}
