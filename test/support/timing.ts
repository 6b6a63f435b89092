/**
 * One scale for every timer of the test suite. `TIDEWIRE_TEST_SCALE` (default 1) multiplies the timers
 * tests give servers and clients, the waits and margins that follow from them, and vitest's own per-test
 * and per-hook limits (vitest.config.ts), so a busy CI machine can raise them all at once
 * (`TIDEWIRE_TEST_SCALE=3 npm test`). A wait's margin is a multiple of the timer it waits for, never a
 * fixed figure of its own.
 */

function readScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1) {
    throw new Error(`TIDEWIRE_TEST_SCALE must be a number of at least 1, got "${raw}"`);
  }
  return scale;
}

/** The factor applied to every test timer. */
export const TEST_SCALE = readScale(process.env.TIDEWIRE_TEST_SCALE);

/** `ms` stretched by the suite's scale, rounded to a whole millisecond. */
export function scaled(ms: number): number {
  return Math.round(ms * TEST_SCALE);
}
