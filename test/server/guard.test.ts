/**
 * No input can end the process: everything the server runs on its own schedule runs behind one guard,
 * and a failure ends only the session it concerns (1011).
 */
import { describe, expect, it } from 'vitest';
import { guard, guardedClock } from '../../src/server/core/guard.js';
import { ManualScheduler } from '../../src/server/sources/manual-scheduler.js';
import { createHarness } from './support/core-harness.js';

const MARKET = '/ws/market_data';

/** An object JSON.stringify cannot serialise. */
function circular(): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  data.self = data;
  return data;
}

describe('the guard', () => {
  it('hands what a callback throws to its error sink instead of its caller', () => {
    const errors: unknown[] = [];
    const failing = guard(
      () => {
        throw new RangeError('too deep');
      },
      (error) => errors.push(error),
    );
    expect(() => failing()).not.toThrow();
    expect(errors).toEqual([new RangeError('too deep')]);
  });

  it('reports a timer that throws, and later timers still fire', () => {
    const clock = new ManualScheduler();
    const errors: unknown[] = [];
    const guarded = guardedClock(clock, (error) => errors.push(error));
    const fired: string[] = [];
    guarded.setTimeout(() => {
      throw new Error('first');
    }, 10);
    guarded.setTimeout(() => fired.push('second'), 20);
    clock.advance(20);
    expect(errors).toEqual([new Error('first')]);
    expect(fired).toEqual(['second']);
  });
});

describe('a data message that cannot be serialised', () => {
  it('ends only its session, with 1011, and the others keep receiving', async () => {
    const { open, endpoints, sessions } = createHarness();
    const victim = await open(MARKET);
    const other = await open(MARKET);
    const victimSession = endpoints.sessions.get('s1')!;
    expect(() => victimSession.emit({ type: 'prices_snapshot', data: circular() })).not.toThrow();
    expect(victim.transport.closes()).toEqual([{ kind: 'close', code: 1011, reason: 'internal error' }]);
    expect(sessions.size).toBe(1);
    expect(endpoints.closedSessions).toEqual(['s1']);
    endpoints.emit('market_data', { type: 'prices_snapshot', data: { prices: [] } });
    expect(other.transport.messages().map((m) => m.type)).toEqual([
      'connection_established',
      'prices_snapshot',
    ]);
  });

  it('is not mistaken, in a fan-out, for the message before it', async () => {
    const { open, endpoints } = createHarness();
    const first = await open(MARKET);
    const second = await open(MARKET);
    const good = { type: 'prices_snapshot', data: { prices: [] } };
    for (const session of endpoints.sessions.values()) session.emit(good);
    endpoints.sessions.get('s1')!.emit({ type: 'prices_snapshot', data: circular() });
    endpoints.sessions.get('s2')!.emit({ type: 'prices_snapshot', data: circular() });
    // Neither session was sent the earlier message again in place of the one that failed.
    for (const { transport } of [first, second]) {
      expect(transport.messages().filter((m) => m.type === 'prices_snapshot')).toHaveLength(1);
      expect(transport.closes()).toEqual([{ kind: 'close', code: 1011, reason: 'internal error' }]);
    }
  });

  it('ends a detached session without a connection to close', async () => {
    const { open, endpoints, sessions } = createHarness();
    const { connection } = await open(MARKET);
    connection.closed(1006);
    expect(sessions.size).toBe(1);
    endpoints.sessions.get('s1')!.emit({ type: 'prices_snapshot', data: circular() });
    expect(sessions.size).toBe(0);
  });
});

describe('the replay buffer', () => {
  it('keeps at most resumeBufferBytes of data, the newest message always, and says seq_unavailable past it', async () => {
    const { open, endpoints } = createHarness({ resumeBufferBytes: 2_000 });
    const first = await open(MARKET);
    first.connection.closed(1006);
    const big = { type: 'prices_snapshot', data: { prices: [], note: 'x'.repeat(900) } };
    for (let i = 0; i < 5; i++) endpoints.emit('market_data', big);
    const lost = await open(MARKET, { resume: 's1', lastSeq: '0' });
    expect(lost.transport.messages().find((m) => m.type === 'resume_failed')).toMatchObject({
      reason: 'seq_unavailable',
    });
    const session = endpoints.sessions.get('s2')!;
    session.emit({ type: 'prices_snapshot', data: { prices: [], note: 'y'.repeat(5_000) } });
    lost.connection.closed(1006);
    const kept = await open(MARKET, { resume: 's2', lastSeq: '0' });
    expect(kept.transport.messages().map((m) => m.type)).toEqual([
      'connection_established',
      'prices_snapshot',
      'resumed',
    ]);
  });
});
