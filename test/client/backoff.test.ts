import { describe, expect, it } from 'vitest';
import { closeAllowsReconnect, jitterFactor, reconnectDelayMs } from '../../src/client/backoff.js';
import { CloseCode, RECONNECT_DELAYS_MS } from '../../src/protocol/constants.js';

const ABNORMAL = 1006;
const scheduleWith = (random: () => number, attempts = 6) =>
  Array.from({ length: attempts }, (_, i) =>
    reconnectDelayMs({ attempt: i + 1, closeCode: ABNORMAL }, { random }),
  );

describe('reconnect schedule (CR-001)', () => {
  it('follows 2, 4, 8, 16, 30 s at the low end of the jitter, repeating 30 s', () => {
    expect(scheduleWith(() => 0)).toEqual([1_600, 3_200, 6_400, 12_800, 24_000, 24_000]);
  });

  it('follows 2, 4, 8, 16, 30 s at the high end of the jitter', () => {
    expect(scheduleWith(() => 0.999_999)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('keeps every jittered delay within [0.8, 1.0] of the nominal one', () => {
    const randoms = [0, 0.13, 0.5, 0.77, 0.999];
    for (const value of randoms) {
      const factor = jitterFactor(() => value);
      expect(factor).toBeGreaterThanOrEqual(0.8);
      expect(factor).toBeLessThanOrEqual(1);
      scheduleWith(() => value, 5).forEach((delayMs, i) => {
        expect(delayMs / RECONNECT_DELAYS_MS[i]).toBeGreaterThanOrEqual(0.8 - 1e-9);
        expect(delayMs / RECONNECT_DELAYS_MS[i]).toBeLessThanOrEqual(1 + 1e-9);
      });
    }
  });

  it('scales every delay by delayScale and accepts custom nominal delays', () => {
    const options = { random: () => 0, delayScale: 0.01 };
    expect(reconnectDelayMs({ attempt: 3, closeCode: ABNORMAL }, options)).toBe(64);
    expect(
      reconnectDelayMs({ attempt: 2, closeCode: ABNORMAL }, { random: () => 0, delaysMs: [100, 200] }),
    ).toBe(160);
  });
});

describe('server hints', () => {
  it('never goes below the last retryAfterMs (CR-005)', () => {
    const delayMs = reconnectDelayMs(
      { attempt: 1, closeCode: CloseCode.RATE_LIMITED, retryAfterMs: 7_500 },
      {},
    );
    expect(delayMs).toBe(7_500);
  });

  it('keeps the schedule when retryAfterMs is shorter', () => {
    expect(reconnectDelayMs({ attempt: 2, closeCode: ABNORMAL, retryAfterMs: 10 }, { random: () => 0 })).toBe(
      3_200,
    );
  });

  it('makes the first attempt after 1012 within 1 s, and later ones follow the schedule (CR-009)', () => {
    const first = reconnectDelayMs(
      { attempt: 1, closeCode: CloseCode.SERVICE_RESTART },
      { random: () => 0.999 },
    );
    const second = reconnectDelayMs(
      { attempt: 2, closeCode: CloseCode.SERVICE_RESTART },
      { random: () => 0 },
    );
    expect(first).toBeLessThanOrEqual(1_000);
    expect(second).toBe(3_200);
  });
});

describe('close codes (CR-003, CR-004)', () => {
  it.each([1000, 1003, 1007, 1009, 4001, 4400, 4403, 4404, 4406, 4409])(
    'does not reconnect after %i',
    (code) => {
      expect(closeAllowsReconnect(code)).toBe(false);
    },
  );

  it.each([1001, 1006, 1011, 1012, 1013, 4408, 4429, 4500])('reconnects after %i', (code) => {
    expect(closeAllowsReconnect(code)).toBe(true);
  });
});
