/**
 * The options real targets need: timers for a server that advertises none, TLS trust, extra headers, a
 * query string kept on every request, and the binding to check.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Server as SocketIoServer } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import type { Check, CheckContext } from '../../src/conformance/types.js';
import { createServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { startMiniServer, type MiniServer } from './support/mini-server.js';
import { cli } from './support/run-cli-captured.js';
import { startSource001Server, type SeedServer } from './support/seed-servers.js';
import { pingPongCheck } from './support/tiny-checks.js';
import { selfSignedCertificate, tlsTerminator } from './support/tls-fixture.js';

const ONE_LINE_ERROR = /^error: [^\n]+\n$/;
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mini(options: Parameters<typeof startMiniServer>[0] = {}): Promise<MiniServer> {
  const server = await startMiniServer(options);
  cleanups.push(() => server.close());
  return server;
}

async function source001(pingIntervalMs: number): Promise<SeedServer> {
  const server = await startSource001Server({ tokenSecret: 'secret-001', pingIntervalMs });
  cleanups.push(() => server.close());
  return server;
}

describe('--timers', () => {
  it('gives the timers of a server that advertises none, and the heartbeat checks wait by them', async () => {
    const periodMs = scaled(200);
    const server = await source001(periodMs);
    const report = await runConformance({
      url: server.url,
      only: ['HB-006', 'HB-007'],
      timers: { heartbeatIntervalMs: periodMs, heartbeatTimeoutMs: periodMs },
      // The server shares the test's event loop: its pings are as late as a busy machine makes them.
      timeoutScale: 2,
    });
    expect(report.timers).toMatchObject({ heartbeatIntervalMs: periodMs, heartbeatTimeoutMs: periodMs });
    expect(report.notes.join('\n')).toContain(
      `heartbeatIntervalMs=${periodMs}, heartbeatTimeoutMs=${periodMs} (--timers)`,
    );
    expect(report.checks.map((c) => [c.id, c.outcome])).toEqual([
      ['HB-006', 'pass'],
      ['HB-007', 'pass'],
    ]);
    // Without them the first ping would be awaited for the default 30 s interval plus its tolerance.
    expect(report.summary.durationMs).toBeLessThan(30_000);
  });

  it('leaves a timer the server advertises as advertised, and says so', async () => {
    const server = await mini();
    const report = await runConformance({
      url: server.url,
      only: ['HB-003'],
      timers: { heartbeatIntervalMs: 1234 },
    });
    expect(report.timers.heartbeatIntervalMs).toBe(300);
    expect(report.notes).toContain('--timers heartbeatIntervalMs is not used: the server advertises 300');
  });

  it.each([
    [['--timers', 'heartbeat=5'], /--timers: unknown timer "heartbeat" \(expected heartbeatIntervalMs, /],
    [
      ['--timers', 'heartbeatIntervalMs=soon'],
      /--timers: heartbeatIntervalMs must be a positive number of ms, got "soon"/,
    ],
    [['--timers', 'heartbeatIntervalMs'], /--timers must look like name=ms, got "heartbeatIntervalMs"/],
  ])('refuses %j with one line', async (args, message) => {
    const result = await cli([...args, '--list']);
    expect([result.status, result.stderr]).toEqual([2, expect.stringMatching(ONE_LINE_ERROR)]);
    expect(result.stderr).toMatch(message);
  });
});

describe('TLS trust', () => {
  async function behindTls() {
    const reference = await createServer({ port: 0, host: '127.0.0.1' });
    const certificate = selfSignedCertificate();
    const front = await tlsTerminator(reference.port, certificate);
    cleanups.push(
      () => reference.close(),
      () => certificate.remove(),
      () => front.close(),
    );
    return { url: `wss://127.0.0.1:${front.port}`, certificate, secret: reference.options.tokenSecret };
  }

  it('checks a server whose certificate --ca names, and one --insecure accepts', async () => {
    const { url, certificate, secret } = await behindTls();
    const args = ['--url', url, '--token-secret', secret, '--only', 'HS-002,HB-005'];
    const trusted = await cli([...args, '--ca', certificate.certFile]);
    const insecure = await cli([...args, '--insecure']);
    for (const result of [trusted, insecure]) {
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/2 checks, 2 passed/);
      expect(result.status).toBe(0);
    }
  });

  it('refuses a --ca file that cannot be read or holds no certificate, with one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-ca-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a certificate');
    const missing = await cli(['--ca', 'missing.pem', '--list'], { cwd: dir });
    const wrong = await cli(['--ca', 'notes.txt', '--list'], { cwd: dir });
    expect(missing.stderr).toMatch(/^error: cannot read --ca file .*missing\.pem: ENOENT\n$/);
    expect(wrong.stderr).toMatch(/^error: --ca file .*notes\.txt holds no PEM certificate/);
    expect([missing.status, wrong.status]).toEqual([2, 2]);
  });
});

describe('--header and the query string of --url', () => {
  it('sends every header and keeps the query string on every upgrade, next to the scope parameters', async () => {
    const server = await mini();
    const result = await cli([
      '--url',
      `${server.url}/?apiKey=k-123`,
      '--header',
      'X-Api-Key: k-123',
      '--header',
      'X-Tenant:  acme ',
      '--only',
      'HB-003,HS-007',
    ]);
    expect(result.stderr).toBe('');
    expect(server.requests.length).toBeGreaterThan(3);
    for (const request of server.requests) {
      expect(request.headers['x-api-key']).toBe('k-123');
      expect(request.headers['x-tenant']).toBe('acme');
      expect(new URL(request.url ?? '', 'ws://x').searchParams.get('apiKey')).toBe('k-123');
    }
    const campaign = server.requests.find((r) => r.url?.startsWith('/ws/campaigns?'));
    expect(new URL(campaign?.url ?? '', 'ws://x').searchParams.get('campaignId')).toBe('1');
  });

  it.each([
    [['--header', 'X-Api-Key'], /--header must look like 'Name: value', got "X-Api-Key"/],
    [
      ['--header', 'Sec-WebSocket-Protocol: x'],
      /header "Sec-WebSocket-Protocol" is set by the runner itself/,
    ],
    [['--header', 'Bad Name: x'], /header name "Bad Name" is not a valid HTTP field name/],
  ])('refuses %j with one line', async (args, message) => {
    const server = await mini();
    const result = await cli(['--url', server.url, ...args]);
    expect([result.status, result.stderr]).toEqual([2, expect.stringMatching(ONE_LINE_ERROR)]);
    expect(result.stderr).toMatch(message);
  });
});

describe('the config file', () => {
  it('takes timers, headers, TLS trust and the binding under the same names', async () => {
    const server = await mini();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-config-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(
      path.join(dir, 'tidewire.config.json'),
      JSON.stringify({
        url: server.url,
        only: ['HB-003'],
        timers: { resumeWindowMs: 5_000 },
        headers: { 'X-Api-Key': 'from-config' },
        insecure: true,
        binding: 'websocket',
        reporter: ['json=report.json'],
      }),
    );
    const result = await cli([], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(server.requests.every((r) => r.headers['x-api-key'] === 'from-config')).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.diagnosis.bindings).toEqual(['websocket']);
    expect(report.notes).toContain('--timers resumeWindowMs is not used: the server advertises 1000');
  });
});

describe('--binding', () => {
  it('runs the checks of the binding asked for, and refuses an unknown one with one line', async () => {
    const server = await mini();
    const report = await runConformance({ url: server.url, only: ['HB-003'], binding: 'websocket' });
    expect(report.diagnosis.bindings).toEqual(['websocket']);
    expect(report.checks.map((c) => [c.id, c.outcome])).toEqual([['HB-003', 'pass']]);
    const unknown = await cli(['--url', server.url, '--binding', 'mqtt']);
    expect(unknown.stderr).toBe(
      'error: --binding: unknown binding "mqtt" (expected websocket or socket.io)\n',
    );
    expect(unknown.status).toBe(2);
  });

  /** A check of the Socket.IO binding that records what the runner tells it about the target. */
  function socketIoCheck(seen: Array<CheckContext['target']> = []): Check {
    return {
      id: 'SIO-900',
      level: 'MUST',
      area: 'handshake',
      title: 'a Socket.IO check',
      requirement: 'The server speaks Socket.IO.',
      families: ['chat'],
      binding: 'socket.io',
      budgetMs: () => 1_000,
      run: async (ctx) => {
        seen.push(ctx.target);
        ctx.observe(`Engine.IO open packet with pingInterval ${ctx.target.engineIo?.pingInterval}`);
      },
    };
  }

  it('detects a Socket.IO server and runs the checks of that binding with its open packet', async () => {
    const httpServer = http.createServer();
    const io = new SocketIoServer(httpServer, { pingInterval: 12_345 });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => io.close());
    const seen: Array<CheckContext['target']> = [];
    const { port } = httpServer.address() as AddressInfo;
    const report = await runConformance({
      url: `http://127.0.0.1:${port}`,
      checks: [socketIoCheck(seen), pingPongCheck('T-WS')],
    });
    expect(report.diagnosis.bindings).toEqual(['socket.io']);
    expect(report.families).toEqual(['chat']);
    expect(report.checks.map((c) => [c.id, c.outcome])).toEqual([['SIO-900', 'pass']]);
    expect(seen[0]).toMatchObject({
      httpUrl: `http://127.0.0.1:${port}/`,
      engineIo: { pingInterval: 12_345, upgrades: ['websocket'] },
    });
    expect(report.notes).toContain(
      '1 check of another binding not run: the run checks socket.io (--binding)',
    );
  });

  it('does not run checks of a binding the server does not speak, and says how many it left out', async () => {
    const server = await mini();
    const report = await runConformance({ url: server.url, checks: [socketIoCheck()] });
    expect(report.checks).toEqual([]);
    expect(report.notes).toContain(
      '1 check of another binding not run: the run checks websocket (--binding)',
    );
  });
});
