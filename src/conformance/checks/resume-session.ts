/**
 * Steps of the resume checks: start a session with some data, drop it as a network failure would
 * (no close frame, so the session stays resumable), and reconnect with `resume` and `lastSeq`.
 */
import type { EndpointName } from '../../protocol/endpoints.js';
import type { CheckContext, ConnectOptions, ProbeConnection, ReceivedMessage } from '../types.js';
import { REPLY_DEADLINE_MS } from './deadlines.js';
import { dataMessages, isDataMessage, requestData, seqOf, type OnDemandData } from './endpoint-choice.js';

export interface StartedSession {
  conn: ProbeConnection;
  sessionId: string;
  /** Data messages received, in order. */
  data: ReceivedMessage[];
  /** seq of the last data message received (0 when none). */
  lastSeq: number;
}

export function sessionIdOf(ctx: CheckContext, conn: ProbeConnection): string {
  const sessionId = conn.established?.sessionId;
  // The sessionId is HS-002's rule; without it there is no session to resume.
  if (typeof sessionId !== 'string' || sessionId === '') {
    ctx.blocked('HS-002', 'connection_established carries no sessionId');
  }
  return sessionId;
}

/** Opens a session and has it receive `requests` on-demand data messages (plus its initial snapshot). */
export async function startSession(
  ctx: CheckContext,
  source: OnDemandData,
  requests: number,
  options: ConnectOptions = {},
): Promise<StartedSession> {
  const conn = await ctx.connect(source.endpoint, options);
  await requestData(conn, source, requests);
  return describeSession(ctx, conn);
}

export function describeSession(ctx: CheckContext, conn: ProbeConnection): StartedSession {
  const data = dataMessages(conn);
  const seqs = data.map(seqOf);
  // `seq` is ENV-004's rule; without it there is no lastSeq to resume from.
  if (seqs.some((seq) => seq === undefined)) ctx.blocked('ENV-004', 'data messages carry no seq');
  return { conn, sessionId: sessionIdOf(ctx, conn), data, lastSeq: (seqs.at(-1) ?? 0) as number };
}

export interface ResumeAttempt {
  conn: ProbeConnection;
  established: Record<string, unknown>;
  /** The `resumed` or `resume_failed` message. */
  outcome: ReceivedMessage;
  /** Data messages between `connection_established` and the outcome. */
  replayed: ReceivedMessage[];
}

/** Reconnects with `resume` and `lastSeq` and waits for `resumed` or `resume_failed`. */
export async function resume(
  ctx: CheckContext,
  name: EndpointName,
  sessionId: string,
  lastSeq: number,
  options: ConnectOptions = {},
): Promise<ResumeAttempt> {
  const conn = await ctx.connect(name, {
    ...options,
    query: { ...options.query, resume: sessionId, lastSeq: String(lastSeq) },
  });
  const outcome = await conn.next((m) => m.type === 'resumed' || m.type === 'resume_failed', {
    timeoutMs: REPLY_DEADLINE_MS,
    expected: `resumed or resume_failed after resume=${sessionId}&lastSeq=${lastSeq}`,
  });
  const established = conn.received.find((m) => m.type === 'connection_established');
  const from = established ? conn.received.indexOf(established) + 1 : 0;
  const to = conn.received.indexOf(outcome);
  const replayed = conn.received.slice(from, to).filter((m) => isDataMessage(name, m));
  return { conn, established: established?.json ?? {}, outcome, replayed };
}

/** Fails unless the attempt ended in `resume_failed`. */
export function expectResumeFailed(ctx: CheckContext, attempt: ResumeAttempt, why: string): void {
  if (attempt.outcome.type !== 'resume_failed') {
    ctx.fail(`expected resume_failed for ${why}, got: ${attempt.outcome.text}`, {
      expected: 'resume_failed',
      actual: attempt.outcome.text,
    });
  }
}

/** Messages received after `after` on the connection (by position). */
export function receivedAfter(
  conn: ProbeConnection,
  after: ReceivedMessage,
): (m: ReceivedMessage) => boolean {
  return (m) => conn.received.indexOf(m) > conn.received.indexOf(after);
}
