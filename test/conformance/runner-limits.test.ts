/**
 * The runner is bounded by its own limits, not the server's: whatever a hostile server advertises or
 * sends, the runner builds nothing over its cap, parses nothing nested beyond its cap, drops a peer that
 * floods it, stays under its documented heap cap, and reports what its own limits cut short as its own
 * (`error`, "not judged"), never as a rule the server broke.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { CLOSE_CHECKS } from '../../src/conformance/checks/close.js';
import {
  MAX_JSON_DEPTH,
  MAX_SENT_MESSAGE_BYTES,
  PROBE_MAX_PAYLOAD_BYTES,
  RUNNER_HEAP_CAP_BYTES,
  jsonDepthWithin,
} from '../../src/conformance/runner-limits.js';
import type { Check } from '../../src/conformance/types.js';
import {
  hugeLimitServer,
  invalidUtf8Server,
  nestedFrameServer,
  oversizeFrameServer,
  pingFloodServer,
  type HostileServer,
} from './support/hostile.js';
import { startMiniServer } from './support/mini-server.js';
import { envelopeChecks, pingPongCheck } from './support/tiny-checks.js';

const CL_005 = CLOSE_CHECKS.find((check) => check.id === 'CL-005') as Check;
const MIB = 1024 * 1024;

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs the checks against the server, sampling the heap: returns the report and the peak growth. */
async function runAgainst(start: () => Promise<HostileServer>, checks: Check[]) {
  server = await start();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakGrowth = 0;
  const sampler = setInterval(() => {
    peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - heapBefore);
  }, 20);
  try {
    const report = await runConformance({ url: server.url, checks });
    return { report, peakGrowth };
  } finally {
    clearInterval(sampler);
  }
}

describe('what the runner builds', () => {
  it.each([4e8, 1e15])(
    'builds no message over its cap when the server advertises maxMessageBytes %d',
    async (maxMessageBytes) => {
      const { report, peakGrowth } = await runAgainst(() => hugeLimitServer(maxMessageBytes), [CL_005]);
      expect(report.checks[0]).toMatchObject({
        id: 'CL-005',
        outcome: 'skip',
        message: `the server advertises maxMessageBytes ${maxMessageBytes}; the runner builds no message over its cap of ${MAX_SENT_MESSAGE_BYTES} bytes`,
      });
      expect(peakGrowth).toBeLessThan(64 * MIB);
    },
  );
});

describe('what the runner offers', () => {
  it('offers no compression extension on any upgrade', async () => {
    const server = await startMiniServer();
    try {
      await runConformance({ url: server.url, checks: [pingPongCheck('T-PING'), ...envelopeChecks()] });
      expect(server.requests.length).toBeGreaterThan(3);
      expect(server.requests.map((r) => r.headers['sec-websocket-extensions'])).toEqual(
        server.requests.map(() => undefined),
      );
    } finally {
      await server.close();
    }
  });
});

describe('what the runner parses', () => {
  it('measures nesting without parsing, and stops at its cap', () => {
    expect(jsonDepthWithin('{"a":[1,{"b":"[[[["}],"c":"\\"]"}')).toBe(3);
    expect(jsonDepthWithin('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(MAX_JSON_DEPTH);
    expect(jsonDepthWithin('['.repeat(MAX_JSON_DEPTH + 1))).toBe(Infinity);
  });

  it('leaves a 2 MB nested frame unparsed and unjudged, and a timing check beside it still passes', async () => {
    const { report, peakGrowth } = await runAgainst(
      () => nestedFrameServer(2 * MIB),
      [pingPongCheck('T-PING'), ...envelopeChecks()],
    );
    expect(report.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['T-PING', 'pass'],
      ['ENV-001', 'pass'],
      ['ENV-002', 'pass'],
      ['ENV-003', 'pass'],
    ]);
    expect(report.checks[1].message).toMatch(
      /none violating ENV-001; \d+ not judged \(beyond the runner's limits\)$/,
    );
    const ping = report.checks[0].transcript.map((e) => e.data).join('\n');
    expect(ping).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels, the runner's cap: not parsed`);
    expect(peakGrowth).toBeLessThan(RUNNER_HEAP_CAP_BYTES);
  });
});

describe('closes the runner causes', () => {
  it('reports a check cut short by a frame over its cap as its own error, not a close by the server', async () => {
    const { report } = await runAgainst(
      () => oversizeFrameServer(PROBE_MAX_PAYLOAD_BYTES + MIB),
      [pingPongCheck('T-PING')],
    );
    expect(report.checks[0].outcome).toBe('error');
    expect(report.checks[0].message).toBe(
      `pong not judged: the runner closed the connection with 1009: the server sent a frame over its cap of ${PROBE_MAX_PAYLOAD_BYTES} bytes (Max payload size exceeded)`,
    );
    expect(report.exitCode).toBe(2);
  });

  it('attributes its close on invalid UTF-8 to itself and counts the frame against ENV-001', async () => {
    const { report } = await runAgainst(invalidUtf8Server, [pingPongCheck('T-PING'), ...envelopeChecks()]);
    expect(report.checks[0]).toMatchObject({
      outcome: 'fail',
      message: expect.stringMatching(
        /^expected pong, got: the runner closed the connection with 1007: the server sent a text frame with invalid UTF-8 \(/,
      ),
    });
    const env = report.checks.find((c) => c.id === 'ENV-001');
    expect(env?.outcome).toBe('fail');
    expect(env?.actual).toContain('/: text frame with invalid UTF-8');
  });

  it('drops a peer that floods pings without reading the pongs, stays under its heap cap, and says it did', async () => {
    const { report, peakGrowth } = await runAgainst(pingFloodServer, [
      pingPongCheck('T-PING'),
      ...envelopeChecks(),
    ]);
    expect(server?.sentBytes()).toBeGreaterThan(MIB);
    for (const result of report.checks) {
      expect(result.outcome).not.toBe('fail');
      if (result.outcome === 'error') {
        expect(result.message).toMatch(
          /not judged: the runner dropped the connection: the server sent pings without reading the pongs \(60 unanswered, the runner's cap\)$/,
        );
      }
    }
    expect(report.checks[0].outcome).toBe('error');
    expect(peakGrowth).toBeLessThan(RUNNER_HEAP_CAP_BYTES);
  });
});
