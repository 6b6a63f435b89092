/**
 * The runner's knowledge of the source dialects: against servers built like the source systems (no
 * subprotocol selected, only what their documents show), it recognises each dialect and says what is
 * missing for tidewire.v1; against the reference server it says nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  diagnoseEndpoint,
  observeEndpoint,
  sourceDialectLines,
  type DialectObservation,
} from '../../src/conformance/source-dialect.js';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import {
  SOURCE_TOKEN,
  sourceMessages,
  startSourceServer,
  type SourceServer,
} from './support/source-servers.js';

/** How often the source-like servers repeat their data: a few times within an observation. */
const EVERY_MS = scaled(50);
const WINDOW_MS = scaled(500);

let source: SourceServer | undefined;
let reference: ReferenceServer | undefined;
afterEach(async () => {
  await source?.close();
  await reference?.close();
  source = reference = undefined;
});

const frames = (...messages: unknown[]) =>
  messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m)));

describe('diagnoseEndpoint', () => {
  it("recognises the market-data dialect from source 004's own system_status", () => {
    const observation: DialectObservation = {
      endpoint: 'monitoring',
      offered: [],
      refusedTidewire: 'Server sent no subprotocol',
      selected: '',
      frames: frames(...sourceMessages('004', 'monitoring').filter((m) => m.type === 'system_status')),
    };
    expect(diagnoseEndpoint(observation)).toEqual({
      endpoint: 'monitoring',
      speaksTidewire: false,
      dialect: 'market-data',
      missing: [
        'it selects no subprotocol when a client offers tidewire.v1 (HS-003)',
        'its first message is not connection_established (HS-002)',
        'its data messages carry no seq (ENV-004)',
      ],
    });
  });

  it("recognises the campaign-sender dialect from source 001's messages and text ping", () => {
    const diagnosis = diagnoseEndpoint({
      endpoint: 'campaigns',
      offered: ['tidewire.v1'],
      selected: '',
      frames: frames(...sourceMessages('001', 'campaigns').slice(0, 2), 'ping'),
    });
    expect(diagnosis.dialect).toBe('campaign-sender');
    expect(diagnosis.missing).toContain('some messages carry no top-level timestamp (ENV-003)');
  });

  it("recognises Pilito's connection_established without the session and timers", () => {
    const [greeting] = sourceMessages('003', 'conversations');
    const diagnosis = diagnoseEndpoint({
      endpoint: 'conversations',
      offered: ['tidewire.v1'],
      selected: '',
      frames: frames(greeting),
    });
    expect(diagnosis).toMatchObject({ speaksTidewire: false, dialect: 'pilito' });
    expect(diagnosis.missing).toContain(
      'its connection_established lacks sessionId, protocolVersion, heartbeatIntervalMs, heartbeatTimeoutMs, resumeWindowMs, maxMessageBytes, rateLimit (HS-002)',
    );
  });

  it('recognises no dialect in messages no source system sent there', () => {
    const diagnosis = diagnoseEndpoint({
      endpoint: 'monitoring',
      offered: ['tidewire.v1'],
      selected: '',
      frames: frames({ type: 'price_update', data: {} }),
    });
    expect(diagnosis.dialect).toBeUndefined();
    expect(sourceDialectLines([diagnosis])).toEqual([]);
  });
});

describe('against servers built like the source systems', () => {
  it.each([
    ['004', 'monitoring', 'market-data', '/api/monitoring/ws'],
    ['001', 'campaigns', 'campaign-sender', '/ws/campaigns'],
    ['003', 'conversations', 'pilito', '/ws/conversations/'],
  ] as const)(
    'says in its first lines that source %s speaks its dialect, and what tidewire.v1 needs',
    async (id, name, dialect, path) => {
      source = await startSourceServer(id, EVERY_MS);
      const query = name === 'campaigns' ? { campaignId: '1', userId: '1' } : undefined;
      const observation = await observeEndpoint(source.url, name, {
        query,
        token: id === '003' ? SOURCE_TOKEN : undefined,
        windowMs: WINDOW_MS,
      });
      expect(observation.refusedTidewire).toBe('Server sent no subprotocol');
      const lines = sourceDialectLines([diagnoseEndpoint(observation)]);
      expect(lines[0]).toMatch(
        new RegExp(
          `^This server speaks the source dialect of ${dialect} \\(source ${id}\\), not tidewire.v1`,
        ),
      );
      expect(lines[1]).toMatch(
        new RegExp(
          `^${path}: it selects no subprotocol when a client offers tidewire.v1 \\(HS-003\\); .*HS-002\\)`,
        ),
      );
    },
  );

  it('recognises Pilito from its authentication_error and 4001 when the run has no token', async () => {
    source = await startSourceServer('003', EVERY_MS);
    const observation = await observeEndpoint(source.url, 'conversations', { windowMs: WINDOW_MS });
    expect(observation.ended).toBe('close 4001');
    expect(diagnoseEndpoint(observation).dialect).toBe('pilito');
  });
});

describe('against the reference server', () => {
  it('finds tidewire.v1 and has nothing to say', async () => {
    reference = await createServer({ simulation: { speed: 50 } });
    const diagnoses = await Promise.all(
      (['monitoring', 'conversations'] as const).map(async (name) =>
        diagnoseEndpoint(
          await observeEndpoint(reference!.url, name, {
            token: await reference!.mintToken('1'),
            windowMs: WINDOW_MS,
          }),
        ),
      ),
    );
    expect(diagnoses.map((d) => [d.speaksTidewire, d.missing])).toEqual([
      [true, []],
      [true, []],
    ]);
    expect(sourceDialectLines(diagnoses)).toEqual([]);
  });
});
