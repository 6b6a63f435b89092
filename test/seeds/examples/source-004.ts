/**
 * The client examples of source 004 (the market data service's guide): the vanilla WebSocketClient, the
 * React dashboard, the Vue component, the two Python clients and the best-practice snippets. The snippets
 * that use a `ws` they do not open run after one line of glue that opens it. The server speaks the
 * `market-data` dialect to them.
 */
import { expect } from 'vitest';
import { createReact } from '../support/hooks.js';
import type { Example } from '../support/harness.js';
import { SERVER_TIMERS, Waits } from '../support/harness.js';
import {
  called,
  closedCode,
  livesThroughHeartbeats,
  logged,
  loggedPrefix,
  opened,
  receivedTypes,
  socketOf,
  socketTo,
  stubs,
} from '../support/glue.js';
import type { PageSocket } from '../support/page.js';
import type { PythonClient } from '../support/python.js';
import type { BlockMarker } from '../support/seed-source.js';
import { mountSingleFileComponent } from '../support/vue.js';

const block = (heading: string, sha256: string): BlockMarker => ({
  source: '004',
  heading,
  block: 1,
  sha256,
});

const MONITORING = 'ws://localhost:7860/api/monitoring/ws';
const MARKET_DATA = 'ws://localhost:7860/ws/market_data';
/** The documents' reconnect delay and client ping interval. */
const RECONNECT_DELAY_MS = 5_000;
const CLIENT_PING_MS = 30_000;
/** The reference data's figures that the examples show. */
const TOTAL_SOURCES = 137;
const TOTAL_MODELS = 18;
/** How often the monitoring endpoint sends `system_status` (the document's 5 s). */
const STATUS_EVERY_MS = 5_000;

/** One line of glue that opens the `ws` a snippet uses (`let`, since some snippets set it to null). */
const openWs = (url: string) => `let ws = new WebSocket(${JSON.stringify(url)});`;

/** Waits for a `system_status` on `socket` (counting from now when `more`). */
async function statusArrives(socket: PageSocket, more = false): Promise<void> {
  const isStatus = (t: string) => t.startsWith('{"type":"system_status"');
  const count = more ? socket.received.count(isStatus) + 1 : 1;
  await socket.received.waitFor(isStatus, 'a system_status', Waits.sourceMs(STATUS_EVERY_MS), count);
}

/** What the dialect never sends on market endpoints. */
function expectNoControlMessages(socket: PageSocket): void {
  const control = receivedTypes(socket).filter((type) =>
    ['connection_established', 'ping', 'pong', 'ack'].includes(type),
  );
  expect(control).toEqual([]);
}

const printed = (
  python: PythonClient,
  match: (line: string) => boolean,
  expected: string,
  count = 1,
  timeoutMs = Waits.connectMs,
) => python.lines.waitFor(match, expected, timeoutMs, count);

/** Lines a Python client prints per status, and the server's heartbeat timeout it must outlive. */
async function pythonOutlivesHeartbeatTimeout(python: PythonClient, perStatus: string): Promise<void> {
  const before = python.lines.count((l) => l.startsWith(perStatus));
  const window = SERVER_TIMERS.heartbeatTimeoutMs + 2 * SERVER_TIMERS.heartbeatIntervalMs;
  expect(await python.lines.staysQuiet((l) => l.includes('Error') || l.includes('error'), window)).toBe(true);
  expect(python.lines.count((l) => l.startsWith(perStatus))).toBeGreaterThan(before);
}

export const SOURCE_004: readonly Example[] = [
  {
    name: 'WebSocketClient, SystemMonitor',
    blocks: [
      block('### JavaScript (Vanilla)', 'b45d9a3d22945ac08205b3b84b0482a5916f08a51afeb95507256fb939699d69'),
    ],
    async run(x, [own]) {
      // The block ends with its usage lines: `const monitor = new SystemMonitor(); monitor.connect();`.
      const { page, monitor, WebSocketClient } = x.scriptPage([own], ['monitor', 'WebSocketClient']);
      const socket = await socketOf(page);
      const figure = (id: string) => (w: { id: string }) => w.id === id;
      await x.cell('connect', `logs "✅ Connected to ${MONITORING}"`, async () => {
        await page.logs.waitFor(logged(`✅ Connected to ${MONITORING}`), 'the open', Waits.connectMs);
      });
      await x.cell('receive', 'shows the system_status figures on the page', async () => {
        await page.writes.waitFor(figure('total-models'), 'the figures', Waits.sourceMs(STATUS_EVERY_MS));
        const shown = Object.fromEntries(page.writes.entries.map(({ id, value }) => [id, value]));
        expect(shown).toEqual({
          'total-sources': TOTAL_SOURCES,
          'active-sources': expect.any(Number),
          'total-models': TOTAL_MODELS,
        });
        expectNoControlMessages(socket);
      });
      await x.cell(
        'send',
        'a WebSocketClient subscribes with the action form and gets price updates',
        async () => {
          const client = new (WebSocketClient as new (url: string) => Record<string, unknown>)(MARKET_DATA);
          const { calls, functions } = stubs(['handleMessage']);
          // The guide's way: a client overrides handleMessage.
          client.handleMessage = functions.handleMessage;
          (client.connect as () => void)();
          await opened(await socketTo(page, MARKET_DATA));
          (client.send as (data: unknown) => void)({ action: 'subscribe', symbols: ['BTC', 'ETH'] });
          for (const symbol of ['BTC', 'ETH']) {
            const update = await calls.waitFor(
              called('handleMessage', ([m]) => (m as { data?: { symbol?: string } }).data?.symbol === symbol),
              `a ${symbol} price_update`,
              Waits.connectMs,
            );
            expect(update.args[0]).toMatchObject({
              type: 'price_update',
              source: 'binance',
              data: { price: expect.any(Number) },
            });
          }
        },
      );
      await x.cell('heartbeat', 'keeps showing figures through the server heartbeats', async () => {
        await livesThroughHeartbeats(socket);
        await page.writes.waitFor(
          figure('total-models'),
          'fresh figures',
          Waits.sourceMs(STATUS_EVERY_MS),
          page.writes.count(figure('total-models')) + 1,
        );
        expect(page.logs.entries.filter((e) => e.level === 'error')).toEqual([]);
      });
      await x.cell('drop', 'reconnects after 5 s and shows figures again', async () => {
        x.network.cut();
        await page.logs.waitFor(logged('Reconnecting... (1/10)'), 'a scheduled reconnect', Waits.connectMs);
        await statusArrives(await socketTo(page, MONITORING, 2));
      });
      await x.seedBug(
        'stop',
        'close() closes the socket, but onclose always calls reconnect(): it connects again',
        async () => {
          (monitor as { close(): void }).close();
          expect(await closedCode(await socketTo(page, MONITORING, 2))).toBe(1005);
          await opened(await socketTo(page, MONITORING, 3));
        },
      );
    },
  },
  {
    name: 'React dashboard',
    blocks: [block('### React', 'b2bc1da27f2f92926ae1179e6c4c46080eb0547896a39ae4edf55598671ed23d')],
    async run(x, [own]) {
      const page = x.page();
      const react = createReact(page);
      // The block declares Dashboard without exporting it: the page exports it, as an app must.
      const { Dashboard } = page.module(own, react.modules, ['Dashboard']);
      const root = react.render(react.React.createElement(Dashboard as () => unknown, null));
      x.defer(() => root.unmount());
      const shows = (text: string) => (rendered: string) => rendered.split('\n').includes(text);
      const stats = shows(`Total Sources: ${TOTAL_SOURCES}`);
      await x.cell('connect', 'shows "Status: Connected"', async () => {
        await root.renders.waitFor(shows('Status: Connected'), 'the status', Waits.connectMs);
      });
      await x.cell('receive', 'shows the system_status figures', async () => {
        await root.renders.waitFor(stats, 'the figures', Waits.sourceMs(STATUS_EVERY_MS));
        expect(root.text().split('\n')).toContain(`Total Models: ${TOTAL_MODELS}`);
      });
      const socket = await socketOf(page);
      await x.cell('heartbeat', 'the figures never go blank through the heartbeats', async () => {
        await livesThroughHeartbeats(socket);
        const first = root.renders.entries.findIndex(stats);
        expect(root.renders.entries.slice(first).filter((text) => !stats(text))).toEqual([]);
        expectNoControlMessages(socket);
      });
      await x.cell('drop', 'shows "Status: Disconnected" (it does not reconnect)', async () => {
        x.network.cut();
        await root.renders.waitFor(shows('Status: Disconnected'), 'the status', Waits.connectMs);
      });
      await x.cell('stop', 'unmounting closes its socket', async () => {
        const fresh = react.render(react.React.createElement(Dashboard as () => unknown, null));
        const second = await socketOf(page, 1);
        await opened(second);
        fresh.unmount();
        expect(await closedCode(second)).toBe(1005);
        expect(await page.sockets.staysQuiet(() => true, Waits.quietMs)).toBe(true);
      });
    },
  },
  {
    name: 'Vue component',
    blocks: [block('### Vue.js', '6dee24b57e7c801d76a920863241e264adcb679c1bcd94e4cef63f781bdeb4b8')],
    async run(x, [own]) {
      const page = x.page();
      const component = mountSingleFileComponent(page, own);
      const lines = () => component.text().split('\n');
      const socket = await socketOf(page);
      await x.cell('connect', 'shows "Status: Connected"', async () => {
        await opened(socket);
        expect(lines()).toContain('Status: Connected');
      });
      await x.cell('receive', 'shows the system_status figures', async () => {
        await statusArrives(socket);
        expect(lines()).toContain(`Total Sources: ${TOTAL_SOURCES}`);
        expect(lines()).toContainEqual(expect.stringMatching(/^Active Sources: \d+$/));
      });
      await x.cell('heartbeat', 'still shows the figures after the heartbeats', async () => {
        await livesThroughHeartbeats(socket);
        await statusArrives(socket, true);
        expect(lines()).toContain(`Total Sources: ${TOTAL_SOURCES}`);
        expectNoControlMessages(socket);
      });
      await x.cell('drop', 'shows "Status: Disconnected", then reconnects after 5 s', async () => {
        x.network.cut();
        await closedCode(socket);
        expect(lines()).toContain('Status: Disconnected');
        await opened(await socketOf(page, 1));
        expect(lines()).toContain('Status: Connected');
      });
      await x.seedBug(
        'stop',
        'beforeUnmount closes the socket, but onclose always reconnects: it connects again after the component is gone',
        async () => {
          component.unmount();
          expect(await closedCode(page.sockets.entries[1])).toBe(1005);
          await opened(await socketOf(page, 2));
        },
      );
    },
  },
  {
    name: 'Python monitor_system',
    python: true,
    blocks: [block('### Python Client', '80d3672f0a4d0fbd33c0f055ca20762186677680958bc87806c07a9d08a07be0')],
    async run(x, [own]) {
      const python = x.python(own);
      await x.cell('connect', 'prints "✅ Connected"', async () => {
        await printed(python, (l) => l === '✅ Connected', 'the connection');
      });
      await x.cell('receive', 'prints the sources and models of every system_status', async () => {
        await printed(
          python,
          (l) => l === `Sources: ${TOTAL_SOURCES}`,
          'two statuses',
          2,
          Waits.sourceMs(STATUS_EVERY_MS),
        );
        await printed(python, (l) => l === `Models: ${TOTAL_MODELS}`, 'two statuses', 2);
      });
      await x.cell('heartbeat', "outlives the server's heartbeat timeout, printing on", () =>
        pythonOutlivesHeartbeatTimeout(python, 'Sources:'),
      );
      await x.cell('drop', 'prints the error and ends, as its loop does', async () => {
        x.network.cut();
        await printed(python, (l) => l.startsWith(' Error: '), 'the error');
        expect(await python.exited).toBe(0);
      });
    },
  },
  {
    name: 'Python WebSocketClient',
    python: true,
    blocks: [
      block(
        '### Python Client با Auto-reconnect',
        '5a238fa93c55e1322812327bed8f99b9e62ce30a02d6f3066ea5df12e8f92f5c',
      ),
    ],
    async run(x, [own]) {
      const python = x.python(own);
      const connectedLine = (l: string) => l === `✅ Connected to ${MONITORING}`;
      await x.cell('connect', `prints "✅ Connected to ${MONITORING}"`, async () => {
        await printed(python, connectedLine, 'the connection');
      });
      await x.cell('receive', 'prints the type and sources of every message', async () => {
        await printed(
          python,
          (l) => l === 'Received: system_status',
          'two statuses',
          2,
          Waits.sourceMs(STATUS_EVERY_MS),
        );
        await printed(python, (l) => l === `   Sources: ${TOTAL_SOURCES}`, 'two statuses', 2);
      });
      await x.cell('heartbeat', "outlives the server's heartbeat timeout, printing on", () =>
        pythonOutlivesHeartbeatTimeout(python, 'Received:'),
      );
      await x.cell('drop', 'reconnects 5 s after the drop', async () => {
        x.network.cut();
        await printed(python, (l) => l === 'Reconnecting in 5 seconds...', 'the reconnect notice');
        await printed(python, connectedLine, 'the new connection', 2, Waits.documentMs(RECONNECT_DELAY_MS));
      });
      await x.cell('stop', 'Ctrl-C ends it', async () => {
        python.interrupt();
        expect(await python.exited).toBe(0);
      });
    },
  },
  {
    name: 'client error handling',
    blocks: [
      block('### مدیریت خطا در Client', 'bd70699326ab50058d7d10014036c8a34b28c42a0135298575c84a1cef62eb9b'),
    ],
    async run(x, [own]) {
      const page = (calls: ReturnType<typeof stubs>) =>
        x.scriptPage([openWs(MARKET_DATA), own], ['ws'], calls.functions);
      await x.seedBug(
        'connect',
        'onerror and onclose both call reconnect(): a failed connection reconnects twice',
        async () => {
          x.network.down();
          const failed = stubs(['showNotification', 'reconnect']);
          const { page: failing } = page(failed);
          await closedCode(await socketOf(failing));
          expect(failed.calls.entries.map((c) => c.name)).toEqual([
            'showNotification',
            'reconnect',
            'reconnect',
          ]);
          x.network.up();
        },
      );
      const ui = stubs(['showNotification', 'reconnect']);
      const { page: live } = page(ui);
      await opened(await socketOf(live));
      await x.cell('drop', 'an abnormal closure (1006) calls reconnect()', async () => {
        x.network.cut();
        await live.logs.waitFor(logged(' Abnormal closure: 1006'), 'the abnormal closure', Waits.connectMs);
        await ui.calls.waitFor(called('reconnect'), 'reconnect()', Waits.connectMs);
      });
      await x.cell('stop', 'a normal closure (1000) does not reconnect', async () => {
        const other = stubs(['showNotification', 'reconnect']);
        const { page: normal, ws: closing } = page(other);
        await opened(await socketOf(normal));
        (closing as { close(code: number): void }).close(1000);
        await normal.logs.waitFor(logged('✅ Normal closure'), 'the normal closure', Waits.connectMs);
        expect(other.calls.entries).toEqual([]);
      });
    },
  },
  {
    name: 'heartbeat/ping',
    blocks: [
      block('### 1. Heartbeat/Ping', '470c7b32d0f0f127df51f0dff45ba150debf50ceb005dbabe2610c6e061413b2'),
    ],
    async run(x, [own]) {
      const { page } = x.scriptPage([openWs(MARKET_DATA), own]);
      const socket = await socketOf(page);
      await x.cell(
        'heartbeat',
        'sends {type: ping} every 30 s and gets nothing back that it would not expect',
        async () => {
          await socket.sent.waitFor(
            (t) => t === '{"type":"ping"}',
            'two pings',
            Waits.documentMs(2 * CLIENT_PING_MS),
            2,
          );
          await livesThroughHeartbeats(socket);
          expect(receivedTypes(socket)).toEqual([]);
        },
      );
    },
  },
  {
    name: 'buffer management',
    blocks: [
      block('### 2. Buffer Management', '457a014848e9d2e136e2d1abe5b688fc1a7915693995f7ba0303a0310e28066c'),
    ],
    async run(x, [own]) {
      const { page, messageBuffer } = x.scriptPage([openWs(MONITORING), own], ['messageBuffer']);
      await x.cell('receive', 'keeps the newest system_status first', async () => {
        const socket = await socketOf(page);
        await statusArrives(socket);
        await statusArrives(socket, true);
        const buffer = messageBuffer as Array<{ type: string; timestamp: string }>;
        expect(buffer.map((m) => m.type)).toEqual(buffer.map(() => 'system_status'));
        expect(buffer[0].timestamp >= buffer[1].timestamp).toBe(true);
      });
    },
  },
  {
    name: 'throttling',
    blocks: [block('### 3. Throttling', '76a58f35531795df321aaa00ff0d03123e00117fb1eade40c774feb47db8a054')],
    async run(x, [own]) {
      const { calls, functions } = stubs(['processMessage']);
      const { page } = x.scriptPage([openWs(MONITORING), own], [], functions);
      await x.cell('receive', 'hands system_status frames to processMessage', async () => {
        await statusArrives(await socketOf(page));
        await calls.waitFor(
          called('processMessage', ([text]) => String(text).startsWith('{"type":"system_status"')),
          'processMessage(…)',
          Waits.connectMs,
        );
      });
    },
  },
  {
    name: 'connection pooling',
    blocks: [
      block('### 4. Connection Pooling', 'e35734a9bfef149e6842388860c6757b99e14f631ebde5f624b947cf8856c313'),
    ],
    async run(x, [own]) {
      const { page, pool } = x.scriptPage([own], ['pool']);
      await x.cell('connect', 'opens the monitoring and market data sockets', async () => {
        await opened(await socketOf(page, 0));
        await opened(await socketOf(page, 1));
        expect(page.sockets.entries.map((s) => s.url)).toEqual([MONITORING, MARKET_DATA]);
      });
      await x.cell('stop', 'closeAll() closes both', async () => {
        (pool as { closeAll(): void }).closeAll();
        for (const socket of page.sockets.entries) expect(await closedCode(socket)).toBe(1005);
      });
    },
  },
  {
    name: 'log everything',
    blocks: [
      block(
        '### مشکل 2: پیام\u200cها دریافت نمی\u200cشوند',
        '2c9c7cf1cbfc24a29f80de44cfe6e402141c78f53daba1d14f84485901e4103f',
      ),
    ],
    async run(x, [own]) {
      const { page } = x.scriptPage([openWs(MONITORING), own]);
      await x.cell('connect', 'logs OPEN', async () => {
        await page.logs.waitFor(logged('OPEN'), 'OPEN', Waits.connectMs);
      });
      await x.cell('receive', 'logs every message', async () => {
        await page.logs.waitFor(
          loggedPrefix('MESSAGE: {"type":"system_status"'),
          'a message',
          Waits.sourceMs(STATUS_EVERY_MS),
        );
        expect(page.logs.entries.filter(loggedPrefix('MESSAGE: '))[0].text).toMatch(
          /^MESSAGE: \{"type":"system_status"/,
        );
      });
      await x.cell('drop', 'logs CLOSE with the code', async () => {
        x.network.cut();
        await page.logs.waitFor(loggedPrefix('CLOSE: 1006'), 'the close', Waits.connectMs);
      });
    },
  },
  {
    name: 'heartbeat with reconnect',
    blocks: [
      block(
        '### مشکل 3: اتصال قطع می\u200cشود',
        'bf5f9501aa3a69408d44826198d289e0b41305b90caa5d3aba9df147c420b90b',
      ),
    ],
    async run(x, [own]) {
      const { calls, functions } = stubs(['reconnect']);
      const { page } = x.scriptPage([openWs(MONITORING), own], [], functions);
      const socket = await socketOf(page);
      await x.cell('heartbeat', 'sends {type: ping} every 30 s while open', async () => {
        await socket.sent.waitFor(
          (t) => t === '{"type":"ping"}',
          'two pings',
          Waits.documentMs(2 * CLIENT_PING_MS),
          2,
        );
        await livesThroughHeartbeats(socket);
      });
      await x.cell('drop', 'stops pinging and calls reconnect() once the socket is closed', async () => {
        x.network.cut();
        await calls.waitFor(called('reconnect'), 'reconnect()', Waits.documentMs(CLIENT_PING_MS));
        expect(page.pendingTimers()).toBe(0);
        expect(calls.entries).toHaveLength(1);
      });
    },
  },
  {
    name: 'cleanup',
    blocks: [
      block('### مشکل 4: Memory leak', '068cd7f0a13676090c44998f44fe825eab35f0050455658fd6c33a0e4e2fb763'),
    ],
    async run(x, [own]) {
      const { page } = x.scriptPage([openWs(MONITORING), own]);
      const socket = await socketOf(page);
      await opened(socket);
      await x.cell('stop', 'beforeunload closes the socket, with no handler left to run', async () => {
        page.dispatch('window', 'beforeunload');
        expect(await closedCode(socket)).toBe(1005);
        expect(page.logs.entries).toEqual([]);
        expect(page.uncaught.entries).toEqual([]);
      });
    },
  },
  {
    name: 'WebSocketStats',
    blocks: [block('### آمار Client', '0d9ad37b56a4b79d610d72cae4baeef7bdaf0f4cf7d8f0937812119cf0c7e5b2')],
    async run(x, [own]) {
      const { page, stats } = x.scriptPage([openWs(MONITORING), own], ['stats']);
      await x.cell('receive', 'counts the messages received', async () => {
        const socket = await socketOf(page);
        await statusArrives(socket);
        await statusArrives(socket, true);
        const figures = (stats as { getStats(): Record<string, number> }).getStats();
        expect(figures.messagesReceived).toBe(socket.received.entries.length);
        expect(figures.messagesPerSecond).toBeGreaterThan(0);
      });
    },
  },
  {
    name: 'simple usage',
    blocks: [block('### استفاده', '1c00dc755b0c0d087361be0b871b640c274f82db5be3997de577b0b1bd438613')],
    async run(x, [own]) {
      const { page } = x.scriptPage([own]);
      await x.cell('receive', 'logs each update, a system_status from the first', async () => {
        await page.logs.waitFor(loggedPrefix('Update: '), 'an update', Waits.sourceMs(STATUS_EVERY_MS), 2);
        expect(page.logs.entries.map((e) => e.text.slice(0, 32))).toEqual(
          page.logs.entries.map(() => 'Update: {"type":"system_status",'),
        );
      });
    },
  },
];
