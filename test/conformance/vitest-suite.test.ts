import { afterAll, expect, it } from 'vitest';
import { defineConformanceSuite } from '../../src/conformance/vitest.js';
import { startMiniServer } from './support/mini-server.js';
import { envelopeChecks, pingPongCheck, tinyCheck } from './support/tiny-checks.js';

// The suite is defined at collection time, so the server must be listening before it.
const server = await startMiniServer();
afterAll(() => server.close());

defineConformanceSuite({
  name: 'conformance suite as vitest tests',
  url: server.url,
  timeoutScale: 0.5,
  checks: [
    pingPongCheck('T-PING'),
    tinyCheck('T-OFFERED', async (ctx) => ctx.skip('the capability is not advertised'), { area: 'auth' }),
    tinyCheck('T-SHOULD', async (ctx) => ctx.fail('a SHOULD that warns'), { level: 'SHOULD', area: 'auth' }),
    ...envelopeChecks(),
  ],
  require: ['market'],
});

it('names its target in the suite title', ({ task }) => {
  expect(task.file.tasks.map((t) => t.name)).toContain(`conformance suite as vitest tests — ${server.url}`);
});
