/** Small Check objects for testing the engine without the real checks. */
import type { Check, CheckContext } from '../../../src/conformance/types.js';

export function tinyCheck(
  id: string,
  run: (ctx: CheckContext) => Promise<void>,
  overrides: Partial<Check> = {},
): Check {
  return {
    id,
    level: 'MUST',
    area: 'heartbeat',
    title: `tiny check ${id}`,
    requirement: `The server does what ${id} says.`,
    families: [],
    budgetMs: () => 1_000,
    run,
    ...overrides,
  };
}

/** Connects to /ws/news, sends a JSON ping and waits for the pong. */
export const pingPongCheck = (id = 'T-PING', overrides: Partial<Check> = {}): Check =>
  tinyCheck(
    id,
    async (ctx) => {
      const conn = await ctx.connect('news');
      conn.send({ type: 'ping' });
      await conn.next((m) => m.type === 'pong', { timeoutMs: 1_000, expected: 'pong' });
    },
    overrides,
  );

/** Waits for a message that never comes. */
export const neverCheck = (id = 'T-NEVER', timeoutMs = 200): Check =>
  tinyCheck(id, async (ctx) => {
    const conn = await ctx.connect('news');
    await conn.next((m) => m.type === 'never', { timeoutMs, expected: 'a never message' });
  });

/** The three envelope checks with a run that only opens a connection (the engine adds the violations). */
export const envelopeChecks = (): Check[] =>
  ['ENV-001', 'ENV-002', 'ENV-003'].map((id) =>
    tinyCheck(
      id,
      async (ctx) => {
        await ctx.connect('monitoring');
      },
      { area: 'envelope' },
    ),
  );
