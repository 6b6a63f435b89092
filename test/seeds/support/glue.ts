/**
 * Small pieces the examples' drivers share: matchers for what a page logs, stubs for the functions a
 * document's snippet calls without defining (`updateCampaignUI`, `reconnect` …), and common waits.
 */
import { expect } from 'vitest';
import type { LogEntry, Page, PageSocket } from './page.js';
import { Recording } from './recording.js';
import { Waits } from './harness.js';

export const logged =
  (text: string) =>
  (entry: LogEntry): boolean =>
    entry.text === text;
export const loggedPrefix =
  (prefix: string) =>
  (entry: LogEntry): boolean =>
    entry.text.startsWith(prefix);

/** Calls of stubbed functions: `{ name, args }` in order. */
export type Calls = Recording<{ name: string; args: unknown[] }>;

/** Functions a snippet calls but leaves to its page (its UI), recorded in `calls`. */
export function stubs(names: readonly string[]): { calls: Calls; functions: Record<string, unknown> } {
  const calls: Calls = new Recording();
  const functions = Object.fromEntries(
    names.map((name) => [name, (...args: unknown[]) => calls.push({ name, args })]),
  );
  return { calls, functions };
}

export const called =
  (name: string, match: (args: unknown[]) => boolean = () => true) =>
  (call: { name: string; args: unknown[] }): boolean =>
    call.name === name && match(call.args);

/** The `index`-th socket the page opened, once it exists. */
export function socketOf(page: Page, index = 0): Promise<PageSocket> {
  return page.sockets.waitFor(() => true, `WebSocket #${index + 1}`, Waits.connectMs, index + 1);
}

/** The `nth` (1 for the first) socket the page opened to `url`, once it exists. */
export function socketTo(page: Page, url: string, nth = 1): Promise<PageSocket> {
  return page.sockets.waitFor((s) => s.url === url, `WebSocket #${nth} to ${url}`, Waits.connectMs, nth);
}

/** Waits until `socket` has opened. */
export async function opened(socket: PageSocket): Promise<void> {
  await socket.events.waitFor((e) => e === 'open', `${socket.url} to open`, Waits.connectMs);
}

/** Waits until `socket` has closed; resolves with the close code. */
export async function closedCode(socket: PageSocket, timeoutMs = Waits.connectMs): Promise<number> {
  const event = await socket.events.waitFor(
    (e) => e.startsWith('close'),
    `${socket.url} to close`,
    timeoutMs,
  );
  return Number(event.split(' ')[1]);
}

/** Waits for two more of the server's RFC 6455 pings on `socket`, and checks it stayed open through them. */
export async function livesThroughHeartbeats(socket: PageSocket): Promise<void> {
  const isPing = (e: string) => e === 'ping';
  await socket.events.waitFor(
    isPing,
    'two more RFC pings',
    Waits.heartbeatsMs,
    socket.events.count(isPing) + 2,
  );
  expect(socket.events.entries.filter((e) => e.startsWith('close'))).toEqual([]);
  expect(socket.readyState).toBe(1);
}

/** No JSON frame of the given types arrives on the socket (the source dialect never sends them). */
export function receivedTypes(socket: PageSocket): string[] {
  return socket.received.entries.map((text) => {
    try {
      return String((JSON.parse(text) as { type?: unknown }).type);
    } catch {
      return text;
    }
  });
}
