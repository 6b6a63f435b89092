/**
 * Validation of every message the server sends during a run, whichever check is running (ENV-001,
 * ENV-002, ENV-003). Violations are logged with the check that saw them; the engine folds them into the
 * results of the three envelope checks once every other check has finished.
 */
import type { EndpointName } from '../protocol/endpoints.js';
import { endpoint as endpointSpec } from '../protocol/endpoints.js';
import { isRfc3339Utc } from '../protocol/date-time.js';
import type { ValidationResult } from '../protocol/schema-registry.js';
import type { InspectedFrame } from './probe.js';
import { truncate } from './transcript.js';

export const ENVELOPE_REQUIREMENTS = ['ENV-001', 'ENV-002', 'ENV-003'] as const;
export type EnvelopeRequirement = (typeof ENVELOPE_REQUIREMENTS)[number];

export function isEnvelopeRequirement(id: string): id is EnvelopeRequirement {
  return (ENVELOPE_REQUIREMENTS as readonly string[]).includes(id);
}

export interface EnvelopeViolation {
  requirement: EnvelopeRequirement;
  /** The check (or `discovery`) whose connection received the message. */
  checkId: string;
  iteration: number;
  endpoint: EndpointName;
  type: string | undefined;
  path: string;
  message: string;
  /** The start of the offending frame. */
  snippet: string;
}

/** What the validator needs from the schema registry (SchemaRegistry implements it). */
export interface MessageSchemas {
  validate(endpoint: EndpointName, direction: 'server', message: unknown): ValidationResult;
}

/** Violations kept per requirement and iteration; beyond that only a count (a flooding server). */
export const MAX_VIOLATIONS_KEPT = 50;
const SNIPPET_CHARS = 200;

/** RFC 3339 date-time in UTC with the `Z` designator (ENV-003); see src/protocol/date-time.ts. */
export { isRfc3339Utc };

type Found = Omit<EnvelopeViolation, 'checkId' | 'iteration' | 'endpoint' | 'snippet'>;

/** The envelope violations of one received text frame (json: its parse, undefined when not JSON). */
export function textFrameViolations(
  schemas: MessageSchemas,
  endpoint: EndpointName,
  text: string,
  json: unknown,
): Found[] {
  // The campaign endpoint keeps its seed's bare text heartbeat (HB-004, HB-006). The endpoint is
  // looked up only for such a frame, not for every JSON message.
  if ((text === 'ping' || text === 'pong') && endpointSpec(endpoint).appPing === 'text') return [];
  if (json === undefined) {
    return [{ requirement: 'ENV-001', type: undefined, path: '/', message: 'text frame is not JSON' }];
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return [{ requirement: 'ENV-001', type: undefined, path: '/', message: 'JSON value is not an object' }];
  }
  const record = json as Record<string, unknown>;
  if (typeof record.type !== 'string') {
    return [{ requirement: 'ENV-001', type: undefined, path: '/type', message: 'has no string "type"' }];
  }
  const found: Found[] = [];
  const result = schemas.validate(endpoint, 'server', record);
  if (!result.ok) {
    for (const issue of result.issues) {
      found.push({ requirement: 'ENV-002', type: record.type, path: issue.path, message: issue.message });
    }
  }
  if (!isRfc3339Utc(record.timestamp)) {
    found.push({
      requirement: 'ENV-003',
      type: record.type,
      path: '/timestamp',
      message:
        record.timestamp === undefined
          ? 'missing top-level timestamp'
          : `timestamp ${JSON.stringify(record.timestamp)} is not RFC 3339 UTC`,
    });
  }
  return found;
}

/** How many frames were judged in an iteration, by how many checks, and how many could not be. */
export interface FramesSeen {
  judged: number;
  unjudged: number;
  checks: number;
}

export class ViolationLog {
  private readonly kept = new Map<string, EnvelopeViolation[]>();
  private readonly counts = new Map<string, number>();
  private readonly checks = new Map<string, Set<string>>();
  private readonly seen = new Map<number, { judged: number; unjudged: number; checks: Set<string> }>();

  /** Validates one received frame and records what is wrong with it. */
  inspect(
    schemas: MessageSchemas,
    where: { checkId: string; iteration: number; endpoint: EndpointName },
    frame: InspectedFrame,
  ): void {
    const seen = this.seen.get(where.iteration) ?? { judged: 0, unjudged: 0, checks: new Set<string>() };
    this.seen.set(where.iteration, seen);
    seen.checks.add(where.checkId);
    if ('unjudged' in frame) {
      if (frame.invalidUtf8) {
        seen.judged++;
        this.record({
          requirement: 'ENV-001',
          ...where,
          type: undefined,
          path: '/',
          message: 'text frame with invalid UTF-8',
          snippet: '',
        });
      } else {
        seen.unjudged++;
      }
      return;
    }
    seen.judged++;
    if ('binary' in frame) {
      this.record({
        requirement: 'ENV-001',
        ...where,
        type: undefined,
        path: '/',
        message: `binary frame of ${frame.binary.length} bytes`,
        snippet: Buffer.from(frame.binary.subarray(0, 32)).toString('hex'),
      });
      return;
    }
    for (const found of textFrameViolations(schemas, where.endpoint, frame.text, frame.json)) {
      this.record({ ...found, ...where, snippet: truncate(frame.text, SNIPPET_CHARS) });
    }
  }

  record(violation: EnvelopeViolation): void {
    const key = `${violation.requirement}#${violation.iteration}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const seenBy = this.checks.get(key) ?? new Set<string>();
    seenBy.add(violation.checkId);
    this.checks.set(key, seenBy);
    const list = this.kept.get(key) ?? [];
    if (list.length < MAX_VIOLATIONS_KEPT) list.push(violation);
    this.kept.set(key, list);
  }

  /** The frames seen in one iteration (discovery's count for iteration 0). */
  framesSeen(iteration: number): FramesSeen {
    const seen = this.seen.get(iteration);
    return { judged: seen?.judged ?? 0, unjudged: seen?.unjudged ?? 0, checks: seen?.checks.size ?? 0 };
  }

  /** Violations of one requirement seen in one iteration (discovery's count for iteration 0). */
  of(
    requirement: EnvelopeRequirement,
    iteration: number,
  ): { violations: EnvelopeViolation[]; total: number; seenBy: string[] } {
    const key = `${requirement}#${iteration}`;
    return {
      violations: this.kept.get(key) ?? [],
      total: this.counts.get(key) ?? 0,
      seenBy: [...(this.checks.get(key) ?? [])],
    };
  }
}

export function describeViolation(v: EnvelopeViolation): string {
  const type = v.type === undefined ? '' : ` ${v.type}`;
  return `[${v.checkId} on ${v.endpoint}]${type} ${v.path}: ${v.message} — ${v.snippet}`;
}
