/**
 * The client examples of source 003 (Pilito's reconnect guide): the WebSocketManager class, the
 * useWebSocket hook, the ConversationList component and the provider, as modules (websocketManager.js,
 * useWebSocket.js …) that import each other as the guide's comments name them, plus its four test
 * scenarios and its expected logs. The server speaks the `pilito` dialect to them.
 */
import { expect } from 'vitest';
import { createReact, type ReactRoot } from '../support/hooks.js';
import type { Example, ExampleContext } from '../support/harness.js';
import { Waits } from '../support/harness.js';
import {
  closedCode,
  livesThroughHeartbeats,
  logged,
  loggedPrefix,
  opened,
  socketOf,
} from '../support/glue.js';
import type { Page } from '../support/page.js';
import { Recording } from '../support/recording.js';
import type { BlockMarker } from '../support/seed-source.js';

const block = (heading: string, sha256: string, index = 1): BlockMarker => ({
  source: '003',
  heading,
  block: index,
  sha256,
});

const MANAGER = block(
  '## 1. WebSocket Manager Class',
  '5f37cfda4e6cc2c33945866dbc7652848a2e6a8510903a62f75655c8e17df3ce',
);
const HOOK = block(
  '## 2. React Hook Usage Example',
  '3b7799caa3b3226c218e80f7105ae2d1ced2c38ef9d5deb54f596217f6546674',
);
const COMPONENT = block(
  '## 3. Usage in Component',
  'b432d20a420fd31fbb775164d02002cf3ef0315e2e4a1395141ab88ad658cd87',
);
const EXPECTED_LOGS = block(
  '## Success Metrics',
  '7d2853bc09fc846e8f8472d840f9c1d201fae739d4ced1c06cb25dabd48e38cf',
);
const UNWANTED_LOGS = block(
  '## Success Metrics',
  '4606c26f49ef921780bda3c935d8655bcc25181df5f55f47b4f2ec9bdd46eeb6',
  2,
);
/** The blocks a page with ConversationList loads: the component, its hook, the manager. */
const CONVERSATION_LIST = [COMPONENT, HOOK, MANAGER];

const PILITO = 'wss://api.pilito.com';
/** The manager's first reconnect delay. */
const FIRST_BACKOFF_MS = 2_000;

interface Manager {
  isConnected: boolean;
  connect(): void;
  disconnect(): void;
  send(data: unknown): boolean;
  on(event: string, callback: (data: Record<string, unknown>) => void): void;
}
type ManagerClass = new (url: string, token: string) => Manager;

/** Loads the modules the way the guide's files import each other. */
function loadModules(
  page: Page,
  code: { manager: string; hook?: string; component?: string; provider?: string },
) {
  const react = createReact(page);
  const manager = page.module(code.manager, {});
  const hook = code.hook ? page.module(code.hook, { ...react.modules, './websocketManager': manager }) : {};
  // ConversationList.jsx declares its component without exporting it: the page exports it, as an app must.
  const component = code.component
    ? page.module(code.component, { ...react.modules, './hooks/useWebSocket': hook }, ['ConversationList'])
    : {};
  const provider = code.provider
    ? page.module(code.provider, { ...react.modules, './websocketManager': manager })
    : {};
  return { react, manager, hook, component, provider };
}

/** A manager with every event it emits recorded. */
function recordedManager(x: ExampleContext, page: Page, Manager: ManagerClass, path: string, token: string) {
  const manager = new Manager(`${PILITO}${path}`, token);
  const events = new Recording<{ event: string; data: Record<string, unknown> }>();
  for (const event of [
    'connected',
    'disconnected',
    'authError',
    'error',
    'maxReconnectReached',
    'ping',
    'pong',
    'ack',
  ]) {
    manager.on(event, (data) => events.push({ event, data }));
  }
  for (const type of [
    'chat_message',
    'ai_message',
    'conversations_list',
    'conversation_updated',
    'customers_list',
  ]) {
    manager.on(type, (data) => events.push({ event: type, data }));
  }
  x.defer(() => manager.disconnect());
  const next = (event: string, timeoutMs = Waits.connectMs) =>
    events.next((e) => e.event === event, `the manager's "${event}" event`, timeoutMs).then((e) => e.data);
  const waitFor = (event: string, timeoutMs = Waits.connectMs, count = 1) =>
    events
      .waitFor((e) => e.event === event, `the manager's "${event}" event`, timeoutMs, count)
      .then((e) => e.data);
  return { manager, events, next, waitFor };
}

/** ConversationList rendered on a page whose localStorage holds `token` (or what the page stored). */
function renderConversationList(
  x: ExampleContext,
  code: string[],
  token: string | undefined,
  page = x.page(),
) {
  const [component, hook, manager] = code;
  if (token !== undefined) page.localStorage.setItem('access_token', token);
  const { react, component: module } = loadModules(page, { manager, hook, component });
  const root = react.render(react.React.createElement(module.ConversationList as () => unknown, null));
  x.defer(() => root.unmount());
  return { page, root };
}

/** Resolves once the rendered text satisfies `match` (now, or at a later render). */
async function rendered(
  root: ReactRoot,
  match: (text: string) => boolean,
  expected: string,
  timeoutMs = Waits.connectMs,
) {
  if (match(root.text())) return;
  await root.renders.next(match, `${expected} (rendered: ${JSON.stringify(root.text())})`, timeoutMs);
}

/** A line pattern of the guide's log blocks: `ws://...` stands for the endpoint's URL. */
function logPattern(line: string): RegExp {
  const escaped = line.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace('ws://\\.\\.\\.', 'wss?://\\S+')}$`);
}

const established = loggedPrefix('✅ Connection established confirmed');

const noReconnectWithin = (page: Page, sockets: number) =>
  page.sockets
    .staysQuiet(() => true, Waits.quietAfterMs(FIRST_BACKOFF_MS))
    .then((quiet) => {
      expect(quiet, 'no further connection').toBe(true);
      expect(page.sockets.entries).toHaveLength(sockets);
    });

export const SOURCE_003: readonly Example[] = [
  {
    name: 'WebSocketManager',
    blocks: [MANAGER],
    async run(x, [code]) {
      const page = x.page();
      const Manager = loadModules(page, { manager: code }).manager.default as ManagerClass;
      const token = await x.token('1');
      const conversations = recordedManager(x, page, Manager, '/ws/conversations/', token);
      const chat = recordedManager(x, page, Manager, '/ws/chat/', token);
      const customers = recordedManager(x, page, Manager, '/ws/customers/', token);
      await x.cell('connect', "emits 'connected' on connection_established, once per endpoint", async () => {
        for (const manager of [conversations, chat, customers]) manager.manager.connect();
        expect(await conversations.waitFor('connected')).toMatchObject({
          message: '✅ WebSocket connected successfully',
        });
        await chat.waitFor('connected');
        await customers.waitFor('connected');
        conversations.manager.connect();
        expect(page.logs.entries.filter(logged(' WebSocket already connecting or connected'))).toHaveLength(
          1,
        );
        expect(page.sockets.entries).toHaveLength(3);
      });
      await x.cell(
        'receive',
        'receives conversations_list, customers_list, chat_message, ai_message and conversation_updated',
        async () => {
          expect((await conversations.waitFor('conversations_list')).conversations).toHaveLength(100);
          expect((await customers.waitFor('customers_list')).customers).toEqual(expect.any(Array));
          chat.manager.send({ type: 'chat_message', conversationId: 1, content: 'Where is my order?' });
          expect((await chat.next('chat_message')).message).toMatchObject({ content: 'Where is my order?' });
          expect((await chat.waitFor('ai_message')).message).toMatchObject({ senderId: 'ai' });
          expect(await conversations.waitFor('conversation_updated')).toMatchObject({
            conversation: { id: 1 },
          });
        },
      );
      await x.cell(
        'send',
        'refresh_conversations gets a new list; a request its endpoint lacks gets no error event',
        async () => {
          expect(conversations.manager.send({ type: 'refresh_conversations' })).toBe(true);
          await conversations.next('conversations_list');
          chat.manager.send({ type: 'refresh_conversations' });
          expect(await chat.events.staysQuiet((e) => e.event === 'error', Waits.quietMs)).toBe(true);
        },
      );
      await x.cell('heartbeat', 'stays connected, with no ping event to emit', async () => {
        await livesThroughHeartbeats(page.sockets.entries[0]);
        expect(conversations.events.entries.filter((e) => ['ping', 'pong', 'ack'].includes(e.event))).toEqual(
          [],
        );
      });
      await x.cell('drop', "reconnects after its 2 s backoff and emits 'connected' again", async () => {
        x.network.cut();
        expect(await conversations.next('disconnected')).toMatchObject({ code: 1006 });
        await page.logs.waitFor(
          logged('Scheduling reconnect attempt 1 in 2000ms'),
          'a scheduled reconnect',
          Waits.connectMs,
        );
        await conversations.next('connected', Waits.documentMs(FIRST_BACKOFF_MS));
        expect(conversations.manager.isConnected).toBe(true);
      });
      await x.cell('stop', 'disconnect() closes with 1000 and never reconnects', async () => {
        const sockets = page.sockets.entries.length;
        conversations.manager.disconnect();
        await noReconnectWithin(page, sockets);
      });
      await x.seedBug(
        'stop',
        'disconnect() before connection_established does not stick: the late connection_established sets shouldReconnect again, and the close reconnects',
        async () => {
          const early = recordedManager(x, page, Manager, '/ws/customers/', token);
          const sockets = page.sockets.entries.length;
          early.manager.connect();
          // The user leaves just as connection_established arrives, before the manager has read it.
          const socket = await socketOf(page, sockets);
          let left = false;
          socket.received.observe(() => {
            if (!left) early.manager.disconnect();
            left = true;
          });
          await early.waitFor('connected');
          await page.logs.next(
            logged('Scheduling reconnect attempt 1 in 2000ms'),
            'a scheduled reconnect',
            Waits.connectMs,
          );
          await opened(await socketOf(page, sockets + 1));
          // Once connected, disconnect() does stick.
          await early.waitFor('connected', Waits.connectMs, 2);
          early.manager.disconnect();
        },
      );
      await x.cell('auth', 'a bad token gets authError, close 4001, and no reconnect', async () => {
        const refused = recordedManager(x, page, Manager, '/ws/conversations/', 'not-a-token');
        const sockets = page.sockets.entries.length;
        refused.manager.connect();
        expect(await refused.next('authError')).toMatchObject({
          type: 'authentication_error',
          error_code: 'AUTH_REQUIRED',
        });
        expect(await refused.next('disconnected')).toMatchObject({ code: 4001 });
        await noReconnectWithin(page, sockets + 1);
      });
    },
  },
  {
    name: 'useWebSocket',
    blocks: [HOOK, MANAGER],
    async run(x, [hookCode, managerCode]) {
      const page = x.page();
      const { react, hook } = loadModules(page, { manager: managerCode, hook: hookCode });
      const useWebSocket = hook.useWebSocket as (
        url: string,
        token: string,
        onMessage: (data: Record<string, unknown>) => void,
      ) => { isConnected: boolean; error: string | null; send(data: unknown): boolean };
      const messages = new Recording<Record<string, unknown>>();
      // A component of the page's own: it shows what the hook returns and keeps its send.
      let send: (data: unknown) => unknown = () => undefined;
      const Status = ({ url, token }: { url: string; token: string }) => {
        const state = useWebSocket(url, token, (data) => messages.push(data));
        send = state.send;
        return react.React.createElement(
          'div',
          null,
          state.isConnected ? 'connected' : 'not connected',
          state.error ? ` (${state.error})` : '',
        );
      };
      const mount = (path: string, token: string) => {
        const root = react.render(
          react.React.createElement(Status as never, { url: `${PILITO}${path}`, token }),
        );
        x.defer(() => root.unmount());
        return root;
      };
      const root = mount('/ws/conversations/', await x.token('1'));
      await x.cell('connect', 'isConnected becomes true on connection_established', () =>
        rendered(root, (t) => t === 'connected', '"connected"'),
      );
      await x.cell('receive', 'hands conversations_list to onMessage', async () => {
        await messages.waitFor((m) => m.type === 'conversations_list', 'conversations_list', Waits.connectMs);
      });
      await x.cell(
        'send',
        'send() and a visible tab ask for the list again; no protocol error shows as "Connection error"',
        async () => {
          send({ type: 'refresh_conversations' });
          await messages.waitFor((m) => m.type === 'conversations_list', 'a second list', Waits.connectMs, 2);
          page.dispatch('document', 'visibilitychange');
          await messages.waitFor((m) => m.type === 'conversations_list', 'a third list', Waits.connectMs, 3);
          const chat = mount('/ws/chat/', await x.token('1'));
          await rendered(chat, (t) => t === 'connected', 'the chat hook connected');
          // Its visibility handler sends refresh_conversations to /ws/chat/ too, which has no such request.
          page.dispatch('document', 'visibilitychange');
          await page.sockets.entries[1].sent.waitFor(
            (t) => t.includes('refresh_conversations'),
            'the request',
            Waits.connectMs,
          );
          expect(await page.logs.staysQuiet(loggedPrefix(' WebSocket error:'), Waits.quietMs)).toBe(true);
          await root.flush();
          expect(chat.text()).toBe('connected');
        },
      );
      await x.cell('heartbeat', 'stays connected', () => livesThroughHeartbeats(page.sockets.entries[0]));
      await x.cell('drop', 'shows the drop and reconnects', async () => {
        x.network.cut();
        await rendered(root, (t) => t === 'not connected', '"not connected"');
        await rendered(root, (t) => t === 'connected', '"connected" again');
      });
      await x.cell('stop', 'unmounting disconnects with 1000 and never reconnects', async () => {
        const sockets = page.sockets.entries.length;
        root.unmount();
        const live = page.sockets.entries.filter((s) => s.readyState <= 1 && s.url.includes('conversations'));
        for (const socket of live) expect(await closedCode(socket)).toBe(1000);
        await noReconnectWithin(page, sockets);
      });
      await x.cell('auth', 'a bad token shows "Authentication failed" and never reconnects', async () => {
        const sockets = page.sockets.entries.length;
        const refused = mount('/ws/conversations/', 'not-a-token');
        await rendered(refused, (t) => t.includes('Authentication failed. Please login again.'), 'the error');
        await noReconnectWithin(page, sockets + 1);
      });
    },
  },
  {
    name: 'ConversationList',
    blocks: [...CONVERSATION_LIST, EXPECTED_LOGS, UNWANTED_LOGS],
    async run(x, code) {
      const [, , , expectedLogs, unwantedLogs] = code;
      const { page, root } = renderConversationList(x, code, await x.token('1'));
      await x.cell('connect', 'logs what the guide expects, and none of what it does not want', async () => {
        for (const line of expectedLogs.trim().split('\n')) {
          const pattern = logPattern(line);
          await page.logs.waitFor((e) => pattern.test(e.text), `the log line "${line}"`, Waits.connectMs);
        }
        for (const line of unwantedLogs.trim().split('\n')) {
          const unwanted = line.replace(/\(.*\)\s*$/, '').trimEnd();
          expect(page.logs.entries.filter((e) => e.text.startsWith(unwanted))).toEqual([]);
        }
      });
      await x.cell('receive', 'lists the conversations of conversations_list', () =>
        rendered(root, (t) => t.split('\n').length >= 100, 'a hundred conversation titles'),
      );
      const socket = page.sockets.entries[0];
      await x.seedBug(
        'receive',
        'useWebSocket listens to chat_message, conversations_list, customers_list and ai_message only: conversation_updated never reaches the component, which would refresh on it',
        async () => {
          const chat = new (loadModules(page, { manager: code[2] }).manager.default as ManagerClass)(
            `${PILITO}/ws/chat/`,
            await x.token('1'),
          );
          x.defer(() => chat.disconnect());
          chat.connect();
          await page.logs.waitFor(
            loggedPrefix('✅ Connection established confirmed'),
            'the chat connection',
            Waits.connectMs,
            2,
          );
          chat.send({ type: 'chat_message', conversationId: 1, content: 'Any news?' });
          await socket.received.waitFor(
            (t) => t.startsWith('{"type":"conversation_updated"'),
            'conversation_updated',
            Waits.connectMs,
          );
          expect(await socket.sent.staysQuiet(() => true, Waits.quietMs)).toBe(true);
          expect(page.logs.entries.filter(logged('Received message: conversation_updated'))).toEqual([]);
        },
      );
      await x.cell('send', 'a visible tab asks for the list again', async () => {
        const lists = page.logs.count(logged('Received message: conversations_list'));
        page.dispatch('document', 'visibilitychange');
        await socket.sent.waitFor(
          (t) => t === '{"type":"refresh_conversations"}',
          'the request',
          Waits.connectMs,
        );
        await page.logs.waitFor(
          logged('Received message: conversations_list'),
          'the new list',
          Waits.connectMs,
          lists + 1,
        );
      });
      await x.cell('heartbeat', 'stays connected', () => livesThroughHeartbeats(socket));
      await x.cell('drop', 'shows "Connecting..." and then the list again', async () => {
        x.network.cut();
        await rendered(root, (t) => t.startsWith('Connecting...'), '"Connecting..."');
        await rendered(root, (t) => !t.startsWith('Connecting...'), 'the list again');
      });
    },
  },
  {
    name: 'WebSocketProvider',
    blocks: [
      block(
        '## 4. Multiple WebSocket Prevention',
        'a28ba9745a991fa000d31f9ebc6d7136b8abf6e93218b9746e48c2f80e32f4c3',
      ),
      MANAGER,
    ],
    async run(x, [providerCode, managerCode]) {
      const page = x.page();
      const { react, provider } = loadModules(page, { manager: managerCode, provider: providerCode });
      await x.seedBug(
        'connect',
        'it calls useEffect without importing it: a ReferenceError as it renders, so no manager ever connects',
        async () => {
          const root = react.render(
            react.React.createElement(
              provider.WebSocketProvider as never,
              { token: await x.token('1') },
              'app',
            ),
          );
          x.defer(() => root.unmount());
          await page.uncaught.waitFor(
            (e) => e === 'ReferenceError: useEffect is not defined',
            'the ReferenceError',
            Waits.connectMs,
          );
          expect(page.sockets.entries).toEqual([]);
        },
      );
    },
  },
  {
    name: 'token expiration test',
    blocks: [
      block(
        '### 1. Token Expiration Test',
        '2a4e641ddfea4af1f950437f23f0d7fce3a389dcfbfbdd3d9bbee4a33951eaaf',
      ),
      ...CONVERSATION_LIST,
    ],
    async run(x, [scenario, ...code]) {
      const page = x.page();
      page.script([scenario]);
      const { root } = renderConversationList(x, code, undefined, page);
      await x.cell(
        'auth',
        'authentication_error instead of connection_established, a redirect to /login, no reconnect',
        async () => {
          await rendered(root, (t) => t.includes('Authentication failed. Please login again.'), 'the error');
          expect(page.window.location.href).toBe('/login');
          expect(page.logs.entries.filter(loggedPrefix('✅ Connection established confirmed'))).toEqual([]);
          await noReconnectWithin(page, 1);
        },
      );
    },
  },
  {
    name: 'network disconnection test',
    blocks: [
      block(
        '### 2. Network Disconnection Test',
        '0caaa426283d872a4b5487234d44b990498cb0eb3381aab2c0d90aa689054324',
      ),
      ...CONVERSATION_LIST,
    ],
    async run(x, [scenario, ...code]) {
      const page = x.page();
      page.script([scenario]);
      const { root } = renderConversationList(x, code, await x.token('1'), page);
      await page.logs.waitFor(established, 'connection_established', Waits.connectMs);
      await x.cell(
        'drop',
        'offline: reconnects after 2 s, 4 s, 8 s …; online again: connected, with the count reset',
        async () => {
          x.network.down();
          x.network.cut();
          for (const [attempt, delayMs] of [
            [1, 2_000],
            [2, 4_000],
            [3, 8_000],
          ]) {
            const line = `Scheduling reconnect attempt ${attempt} in ${delayMs}ms`;
            await page.logs.waitFor(logged(line), `"${line}"`, Waits.documentMs(delayMs));
          }
          x.network.up();
          await page.logs.waitFor(established, 'connection_established', Waits.documentMs(30_000), 2);
          await rendered(root, (t) => !t.startsWith('Connecting...'), 'the list again');
          // The count starts again: the next drop is attempt 1 again.
          x.network.cut();
          await page.logs.waitFor(
            logged('Scheduling reconnect attempt 1 in 2000ms'),
            'attempt 1 again',
            Waits.connectMs,
            2,
          );
        },
      );
    },
  },
  {
    name: 'tab close/reopen test',
    blocks: [
      block(
        '### 3. Tab Close/Reopen Test',
        '28a1b15a01516f685fbb89710def073c3c065d4213084ec2d245544ebe38cfeb',
      ),
      ...CONVERSATION_LIST,
    ],
    async run(x, [scenario, ...code]) {
      const page = x.page();
      page.script([scenario]);
      const first = renderConversationList(x, code, await x.token('1'), page);
      await page.logs.waitFor(established, 'connection_established', Waits.connectMs);
      await x.cell('stop', 'closing the tab closes its connection; reopening opens exactly one', async () => {
        first.root.unmount();
        expect(await closedCode(page.sockets.entries[0])).toBe(1000);
        renderConversationList(x, code, await x.token('1'), page);
        await opened(await socketOf(page, 1));
        await noReconnectWithin(page, 2);
      });
    },
  },
  {
    name: 'multiple tabs test',
    blocks: [
      block('### 4. Multiple Tabs Test', 'a7539dd2cd755aa9a96ed6c8723f9e8aea3c242977c14f0aaea797a59c605d93'),
      ...CONVERSATION_LIST,
    ],
    async run(x, [scenario, ...code]) {
      await x.cell('connect', 'three tabs hold one connection each', async () => {
        const tabs = [x.page(), x.page(), x.page()];
        for (const tab of tabs) {
          tab.script([scenario]);
          renderConversationList(x, code, await x.token('1'), tab);
        }
        for (const tab of tabs) await opened(await socketOf(tab));
        for (const tab of tabs) expect(tab.sockets.entries).toHaveLength(1);
      });
    },
  },
];
