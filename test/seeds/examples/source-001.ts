/**
 * The client examples of source 001 (the campaign sender's WebSocket guide). Its snippets live on one
 * page: most of them use the `socket` of the connection example, so they run after it, as a page of
 * script tags would; the type handlers (`if (data.type === …)`) run inside a message handler of the
 * campaign_update example's shape. The server speaks the `campaign-sender` dialect to them.
 */
import { expect } from 'vitest';
import type { Example } from '../support/harness.js';
import { Waits } from '../support/harness.js';
import {
  called,
  closedCode,
  livesThroughHeartbeats,
  logged,
  loggedPrefix,
  opened,
  receivedTypes,
  socketOf,
  stubs,
} from '../support/glue.js';
import type { LogEntry, Page } from '../support/page.js';
import type { BlockMarker } from '../support/seed-source.js';

const block = (heading: string, sha256: string): BlockMarker => ({
  source: '001',
  heading,
  block: 1,
  sha256,
});

const CONNECTION = block(
  '### نمونه اتصال',
  'f1f48008878581708b60074265b04196d29c1a8436a5fa60afaa9dd706705dcb',
);
const RECONNECT = block('### اتصال مجدد', '7adb928faabf50bae6bb6f1795a76a67a79f2da33775a5c2a2a08b9b499fff3d');
const ON_CLOSE = block(
  '### تشخیص قطع اتصال',
  'd5f1af616f556e24de984682b483c70ea6dbba752fa10054b918dc52bc16d009',
);

/** One campaign run at the test's speed, twice: every message type of a run comes within it. */
const CAMPAIGN_RUN_MS = Waits.sourceMs(2 * 80 * 1_000);
/** What the documents' page-level snippets reconnect after: 5 s. */
const RECONNECT_DELAY_MS = 5_000;

/** reconnect() opens its new socket, then throws assigning it to the connection example's const. */
async function reconnectsIntoTheConstBug(page: Page): Promise<void> {
  await page.logs.waitFor(
    logged('Reconnected successfully'),
    'the new socket to open',
    Waits.documentMs(RECONNECT_DELAY_MS),
  );
  const constAssignment = (e: string) => e === 'TypeError: Assignment to constant variable.';
  await page.uncaught.waitFor(constAssignment, 'the TypeError', Waits.connectMs);
}

const RECONNECT_CONST_BUG =
  'reconnect() assigns the new socket to the connection example\'s `const socket`: "Assignment to constant variable", and the new socket has no handlers';

/** A message handler of the campaign_update example's shape around a type handler (`if (data.type …)`). */
function insideHandler(fragment: string): string {
  return [
    'socket.onmessage = (event) => {',
    '  if (event.data === "ping") return; // the heartbeat: the ping/pong example answers it',
    '  const data = JSON.parse(event.data);',
    fragment,
    '};',
  ].join('\n');
}

/** The campaign_update handler and the five type handlers: each calls its UI function with `data.data…`. */
function typeHandler(
  name: string,
  marker: BlockMarker,
  ui: string,
  log: (entry: LogEntry) => boolean,
  match: (argument: unknown) => boolean,
): Example {
  return {
    name,
    blocks: [marker, CONNECTION],
    async run(x, [own, connection]) {
      const page = x.page();
      const { calls, functions } = stubs([ui]);
      page.script([connection, marker === CAMPAIGN_UPDATE ? own : insideHandler(own)], [], functions);
      await x.cell('receive', `calls ${ui} with the message's data`, async () => {
        await calls.waitFor(
          called(ui, ([argument]) => match(argument)),
          `${ui}(…)`,
          CAMPAIGN_RUN_MS,
        );
        await page.logs.waitFor(log, 'its log line', Waits.connectMs);
      });
      if (marker !== CAMPAIGN_UPDATE) return;
      await x.seedBug(
        'heartbeat',
        "it parses the server's text ping as JSON: an uncaught SyntaxError per ping (its own server's ping too)",
        async () => {
          await page.uncaught.waitFor(
            (e) => e.startsWith('SyntaxError'),
            'an uncaught SyntaxError',
            Waits.heartbeatsMs,
          );
          await livesThroughHeartbeats(await socketOf(page));
        },
      );
    },
  };
}

const CAMPAIGN_UPDATE = block(
  '### 1. campaign_update',
  '1a3f32d37ea7fe0c735308f92acc13669529630c993371e355aff694c620d551',
);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export const SOURCE_001: readonly Example[] = [
  {
    name: 'connection',
    blocks: [CONNECTION],
    async run(x, [own]) {
      const { page } = x.scriptPage([own]);
      const socket = await socketOf(page);
      await x.cell(
        'connect',
        'opens /ws/campaigns?campaignId=1&userId=1 and logs "WebSocket connected"',
        async () => {
          await page.logs.waitFor(logged('WebSocket connected'), 'the open', Waits.connectMs);
          expect(x.network.requests).toEqual(['/ws/campaigns?campaignId=1&userId=1']);
        },
      );
      await x.cell('heartbeat', 'receives text pings it leaves unanswered, and stays open', async () => {
        await socket.received.waitFor((t) => t === 'ping', 'a text ping', Waits.heartbeatsMs);
        await livesThroughHeartbeats(socket);
      });
      await x.cell('drop', 'logs "WebSocket disconnected" when the network drops', async () => {
        x.network.cut();
        await page.logs.waitFor(logged('WebSocket disconnected'), 'the close', Waits.connectMs);
      });
    },
  },
  typeHandler(
    'campaign_update handler',
    CAMPAIGN_UPDATE,
    'updateCampaignUI',
    loggedPrefix('Campaign updated: {"id":1'),
    (data) => isRecord(data) && data.id === 1 && typeof data.status === 'string' && isRecord(data.progress),
  ),
  typeHandler(
    'progress_update handler',
    block('### 2. progress_update', 'eae99bb8465c70bac65529b64faa8e1ee9ba2f0a357d86fc90a375d81c32cf98'),
    'updateProgressBar',
    loggedPrefix('Progress updated: {"sent":'),
    (progress) => isRecord(progress) && typeof progress.sent === 'number',
  ),
  typeHandler(
    'status_update handler',
    block('### 3. status_update', 'a65287ac7b3b29c62bdf4bb83fbd82893b089640f92590270fddcf4009ec99cb'),
    'updateStatus',
    logged('Status updated: ready'),
    (status) => status === 'ready',
  ),
  typeHandler(
    'error_update handler',
    block('### 4. error_update', '5c602e229f5258c0455117fec91a6c7b30719bdff3544041db4f62091543c038'),
    'showError',
    (e) => e.level === 'error' && e.text.startsWith('Error occurred: Failed to send'),
    (error) => typeof error === 'string',
  ),
  typeHandler(
    'qr_code handler',
    block('### 5. qr_code', '5666892c0d76140923f8042be889f057e66f84fc2320c5bc7f0b6d40951becd6'),
    'displayQRCode',
    logged('QR Code received'),
    (qrCode) => typeof qrCode === 'string' && qrCode.startsWith('data:image/'),
  ),
  typeHandler(
    'completion_update handler',
    block('### 6. completion_update', '275639754646479b9bf90d43f5b55e9ab598cbd739cbb1bc0713f9427c518e1b'),
    'showCompletionReport',
    loggedPrefix('Campaign completed: {"status":"COMPLETED"'),
    (report) => isRecord(report) && report.status === 'COMPLETED',
  ),
  {
    name: 'ping/pong',
    blocks: [
      block(
        '### Ping/Pong برای حفظ اتصال',
        '7305e9c525b77e747b50479abf6ab67795138940f95f33968655aa3c3ca82c31',
      ),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      const { page } = x.scriptPage([connection, own]);
      const socket = await socketOf(page);
      await x.cell('heartbeat', 'answers each text ping with a text pong, and stays open', async () => {
        await socket.sent.waitFor((t) => t === 'pong', 'two pongs', Waits.heartbeatsMs, 2);
        await livesThroughHeartbeats(socket);
      });
    },
  },
  {
    name: 'close detection',
    blocks: [ON_CLOSE, CONNECTION, RECONNECT],
    async run(x, [own, connection, reconnect]) {
      const { page } = x.scriptPage([connection, reconnect, own]);
      await opened(await socketOf(page));
      await x.cell(
        'drop',
        'logs the close code and calls reconnect() 5 s later, which opens a new socket',
        async () => {
          x.network.cut();
          await page.logs.waitFor(loggedPrefix('Connection closed: 1006'), 'the close', Waits.connectMs);
          await opened(await socketOf(page, 1));
        },
      );
    },
  },
  {
    name: 'reconnect()',
    blocks: [RECONNECT, CONNECTION, ON_CLOSE],
    async run(x, [own, connection, onClose]) {
      const { page } = x.scriptPage([connection, own, onClose]);
      await opened(await socketOf(page));
      await x.seedBug('drop', RECONNECT_CONST_BUG, async () => {
        x.network.cut();
        await reconnectsIntoTheConstBug(page);
      });
    },
  },
  {
    name: 'CampaignWebSocket',
    blocks: [
      block('### کلاس مدیریت WebSocket', '61cec644436bcb9186cae1d985315fa3ea08564d0bb4d48c945cc8de07707298'),
    ],
    async run(x, [own]) {
      // The block ends with its usage lines, which connect at once.
      const { page, campaignWS } = x.scriptPage([own], ['campaignWS']);
      const client = campaignWS as { disconnect(): void };
      await x.cell('connect', 'logs "WebSocket connected" and no unknown message type', async () => {
        await page.logs.waitFor(logged('WebSocket connected'), 'the open', Waits.connectMs);
        await page.logs.waitFor(loggedPrefix('Campaign updated:'), 'the snapshot', Waits.connectMs);
        expect(page.logs.entries.filter(loggedPrefix('Unknown message type'))).toEqual([]);
      });
      await x.cell('receive', 'handles all six message types of a campaign run', async () => {
        for (const [what, match] of [
          ['a QR code', logged('QR Code received')],
          ['the ready status', logged('Status updated: ready')],
          ['progress', loggedPrefix('Progress updated: {"sent":')],
          [
            'a failed recipient',
            (e: { text: string }) => e.text.startsWith('Error occurred: Failed to send'),
          ],
          ['the completion report', loggedPrefix('Campaign completed: {"status":"COMPLETED"')],
        ] as const) {
          await page.logs.waitFor(match, what, CAMPAIGN_RUN_MS);
        }
      });
      const socket = await socketOf(page);
      await x.seedBug(
        'heartbeat',
        'handleMessage parses the server\'s text ping as JSON: it logs "Error parsing message" per ping (against its own server too)',
        async () => {
          const parseError = (e: { level: string; text: string }) =>
            e.level === 'error' && e.text.startsWith('Error parsing message: SyntaxError');
          await page.logs.waitFor(parseError, 'two parse errors', Waits.heartbeatsMs, 2);
          await livesThroughHeartbeats(socket);
        },
      );
      await x.cell('drop', 'reconnects after 5 s × attempt and follows the campaign again', async () => {
        x.network.cut();
        await page.logs.waitFor(logged('WebSocket disconnected: 1006'), 'the close', Waits.connectMs);
        await page.logs.waitFor(logged('Reconnecting... (1/5)'), 'a scheduled reconnect', Waits.connectMs);
        await opened(await socketOf(page, 1));
        const updates = page.logs.count(loggedPrefix('Campaign updated:'));
        await page.logs.waitFor(
          loggedPrefix('Campaign updated:'),
          'a snapshot after the reconnect',
          Waits.connectMs,
          updates + 1,
        );
      });
      await x.seedBug(
        'stop',
        'disconnect() closes the socket, but its onclose still calls handleReconnect: it reconnects',
        async () => {
          client.disconnect();
          expect(await closedCode(await socketOf(page, 1))).toBe(1005);
          await opened(await socketOf(page, 2));
        },
      );
    },
  },
  {
    name: 'connection options',
    blocks: [block('### تنظیمات اتصال', '43a911b7764be2a6ea812b5840cb45d2b7535078b582998e4a48357e4155bbd5')],
    async run(x, [own]) {
      const withToken = (token: string) =>
        `const url = "ws://localhost:3000/ws/campaigns?campaignId=1&userId=1";\nconst token = ${JSON.stringify(token)};`;
      const { page } = x.scriptPage([withToken(await x.token('1')), own]);
      const socket = await socketOf(page);
      // `ws` reads { protocols, headers } as its options (a browser would throw on the object).
      await x.cell(
        'connect',
        'offers campaign-updates with its token in the Authorization header',
        async () => {
          await opened(socket);
          expect(socket.protocol).toBe('campaign-updates');
          await socket.received.waitFor(
            (t) => t.startsWith('{"type":"campaign_update"'),
            'the snapshot',
            Waits.connectMs,
          );
        },
      );
      await x.cell('auth', 'a bad token in its Authorization header gets close 4001', async () => {
        const refused = x.scriptPage([withToken('not-a-token'), own]).page;
        expect(await closedCode(await socketOf(refused))).toBe(4001);
      });
    },
  },
  {
    name: 'memory cleanup',
    blocks: [
      block('### مدیریت حافظه', '6499ca1fe6832a40364aceb8facd0b70f00cbd584dd802bc591a0caf073ce276'),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      const { page, socket } = x.scriptPage([connection, own], ['socket']);
      await opened(await socketOf(page));
      await x.cell('drop', 'clears every handler when the socket closes', async () => {
        x.network.cut();
        await closedCode(await socketOf(page));
        const handlers = socket as Record<string, unknown>;
        expect([handlers.onopen, handlers.onmessage, handlers.onclose, handlers.onerror]).toEqual([
          null,
          null,
          null,
          null,
        ]);
      });
    },
  },
  {
    name: 'logging',
    blocks: [
      block('### لاگگیری', 'b33a6988c685c9d8398894f8dfb1afc56342e22fad7dcc3c604792be2564e28b'),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      const { page } = x.scriptPage([connection, own]);
      await x.cell('receive', 'logs each message raw and parsed', async () => {
        await page.logs.waitFor(
          loggedPrefix('WebSocket message received: {"type":"campaign_update"'),
          'a raw message',
          Waits.connectMs,
        );
        await page.logs.waitFor(
          loggedPrefix('Parsed data: {"type":"campaign_update"'),
          'a parsed message',
          Waits.connectMs,
        );
      });
      await x.cell(
        'heartbeat',
        'logs each text ping, and the parse error its try/catch reports for it',
        async () => {
          await page.logs.waitFor(
            logged('WebSocket message received: ping'),
            'a text ping',
            Waits.heartbeatsMs,
          );
          await page.logs.waitFor(
            loggedPrefix('Parse error: SyntaxError'),
            'its parse error',
            Waits.connectMs,
          );
          await livesThroughHeartbeats(await socketOf(page));
        },
      );
    },
  },
  {
    name: 'common errors',
    blocks: [
      block('### خطاهای رایج', '73a73d1ecde07dce8e1487fe9748bd888ab7b6953521760401c7a7b1215c1a4f'),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      x.network.down();
      const { page } = x.scriptPage([connection, own]);
      await x.seedBug(
        'connect',
        'it reads error.code, which a WebSocket error event does not have: a refused connection is "Unknown error", never ECONNREFUSED',
        async () => {
          await page.logs.waitFor(loggedPrefix('WebSocket error:'), 'the error', Waits.connectMs);
          await page.logs.waitFor(loggedPrefix('Unknown error:'), '"Unknown error"', Waits.connectMs);
          expect(page.logs.entries.filter(logged('Connection refused'))).toEqual([]);
        },
      );
    },
  },
  {
    name: 'recovery from error',
    blocks: [
      block('### بازیابی از خطا', 'b6f33a831a1fa377dba4ec6b3873c1226d25d52fcf43b22a03aa29f4b1246626'),
      CONNECTION,
      RECONNECT,
    ],
    async run(x, [own, connection, reconnect]) {
      x.network.down();
      // The block does not say where it is called from: the page calls it on the socket's error.
      const { page } = x.scriptPage([connection, reconnect, own, 'socket.onerror = handleConnectionError;']);
      await page.logs.waitFor(loggedPrefix('Connection error:'), 'the error', Waits.connectMs);
      x.network.up();
      await x.seedBug('drop', RECONNECT_CONST_BUG, async () => {
        await reconnectsIntoTheConstBug(page);
      });
    },
  },
  {
    name: 'WebSocketMonitor',
    blocks: [
      block('### آمار اتصال', '84ce0c7709311db338ce4f9ac9aa8a2e2447cfbd3778d34a6881a66e6cd8dab5'),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      // The class counts what it is told: the page tells it about the connection example's socket.
      const wiring = [
        'const monitor = new WebSocketMonitor();',
        'socket.addEventListener("open", () => monitor.onConnect());',
        'socket.addEventListener("message", () => monitor.onMessage());',
        'socket.addEventListener("error", () => monitor.onError());',
      ].join('\n');
      const { page } = x.scriptPage([connection, own, wiring]);
      await x.cell('connect', 'counts the connection', () =>
        page.logs.waitFor(logged('Total connections: 1'), 'the count', Waits.connectMs).then(() => undefined),
      );
      await x.cell('receive', 'counts the messages', () =>
        page.logs
          .waitFor(logged('Total messages: 3'), 'three messages', Waits.connectMs)
          .then(() => undefined),
      );
    },
  },
  {
    name: 'health check',
    blocks: [
      block('### Health Check', '17f83421d2e3f635fb6b34ea237baf92d75f05eddbae70efc4b0792a3bc3a053'),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      const { page, healthCheck } = x.scriptPage([connection, own], ['healthCheck']);
      const check = healthCheck as () => boolean;
      const socket = await socketOf(page);
      await x.cell('connect', 'reports an open socket as healthy', async () => {
        await opened(socket);
        expect(check()).toBe(true);
        expect(page.logs.entries.at(-1)?.text).toBe('WebSocket is healthy');
      });
      await x.cell('drop', 'reports a dropped socket as unhealthy', async () => {
        x.network.cut();
        await closedCode(socket);
        expect(check()).toBe(false);
        expect(page.logs.entries.at(-1)?.text).toBe('WebSocket is unhealthy');
      });
    },
  },
  {
    name: 'token in the query',
    blocks: [block('### احراز هویت', '60c3c0e93fbebb7dcef970b963f6bf4c5cdb19ad015b2449644942657bc22d66')],
    async run(x, [own]) {
      // The block builds the URL; the page defines the token before it and connects with it after.
      const page = async (token: string) =>
        x.scriptPage([
          `const jwtToken = ${JSON.stringify(token)};`,
          own,
          'const socket = new WebSocket(url);',
        ]).page;
      await x.cell('connect', 'a valid token in the URL is accepted', async () => {
        const socket = await socketOf(await page(await x.token('1')));
        await socket.received.waitFor(
          (t) => t.startsWith('{"type":"campaign_update"'),
          'the snapshot',
          Waits.connectMs,
        );
      });
      await x.cell('auth', 'a bad token in the URL gets close 4001', async () => {
        const socket = await socketOf(await page('not-a-token'));
        expect(await closedCode(socket)).toBe(4001);
        expect(receivedTypes(socket)).toEqual([]);
      });
    },
  },
  {
    name: 'access check',
    blocks: [
      block('### محدودیت دسترسی', 'c125521a095ecf709f3d936f54af21467238702ea9ce8d8960614cebef02483d'),
      CONNECTION,
    ],
    async run(x, [own, connection]) {
      const page = (userCampaignId: number) =>
        x.scriptPage([`const userCampaignId = ${userCampaignId};`, connection, insideHandler(own)]).page;
      await x.cell(
        'receive',
        'keeps following its own campaign: the first message carries campaignId',
        async () => {
          const mine = page(1);
          const socket = await socketOf(mine);
          await socket.received.waitFor((t) => t.startsWith('{'), 'three messages', Waits.connectMs, 3);
          expect(receivedTypes(socket)[0]).toBe('campaign_update');
          expect(mine.logs.entries.filter(logged('Unauthorized access to campaign'))).toEqual([]);
          expect(socket.readyState).toBe(1);
        },
      );
      await x.cell('receive', "closes on another campaign's messages", async () => {
        const other = page(2);
        await other.logs.waitFor(logged('Unauthorized access to campaign'), 'the refusal', Waits.connectMs);
        await closedCode(await socketOf(other));
      });
    },
  },
];
