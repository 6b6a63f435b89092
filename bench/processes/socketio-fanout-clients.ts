/**
 * Many Socket.IO members of one project room in one process, apart from the server's, plus one publisher:
 * members join the room and count the `project:update` events they receive; the publisher emits
 * `project:progress` at an offered rate. Every socket is spoken to in Engine.IO framing over `ws`
 * (`40/projects,{…}` connect, `42/projects,[…]` events, `2`/`3` heartbeat), so that the client side costs
 * the same for both servers and nothing of a client library is measured.
 */
import WebSocket from 'ws';
import { serveCommands } from '../lib/child.js';

const NAMESPACE = '/projects';
const PROJECT_ID = 1;
/** Events of the publisher per timer turn at most, so that an unreachable rate does not starve the loop. */
const MAX_PER_TURN = 200;
const TICK_MS = 2;
const UPDATE_PREFIX = `42${NAMESPACE},["project:update"`;

const members: WebSocket[] = [];
let publisher: WebSocket | undefined;
let measuring = false;
let received = 0;
let measureStart = 0;
let publishing: NodeJS.Timeout | undefined;

/** One socket on the namespace, joined to the project room. */
function open(url: string, token: string, timeoutMs: number): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`not joined within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith(UPDATE_PREFIX)) {
        if (measuring) received++;
      } else if (text === '2') socket.send('3');
      else if (text.startsWith('0')) socket.send(`40${NAMESPACE},${JSON.stringify({ token })}`);
      else if (text.startsWith(`40${NAMESPACE},`)) {
        socket.send(`42${NAMESPACE},${JSON.stringify(['project:join', { projectId: PROJECT_ID }])}`);
      } else if (text.startsWith(`42${NAMESPACE},["project:joined"`)) {
        clearTimeout(timer);
        resolve(socket);
      }
    });
  });
}

serveCommands(
  {
    connect: async ({
      url,
      token,
      count,
      timeoutMs,
    }: {
      url: string;
      token: string;
      count: number;
      timeoutMs: number;
    }) => {
      const batch = 100;
      for (let i = 0; i < count; i += batch) {
        const size = Math.min(batch, count - i);
        members.push(...(await Promise.all(Array.from({ length: size }, () => open(url, token, timeoutMs)))));
      }
      publisher = await open(url, token, timeoutMs);
      return { members: members.length };
    },
    /** Emits `ratePerSec` project:progress events per second until `stop`. */
    publish: ({ ratePerSec }: { ratePerSec: number }) => {
      clearInterval(publishing);
      const start = performance.now();
      let sent = 0;
      publishing = setInterval(() => {
        const due = Math.floor(((performance.now() - start) * ratePerSec) / 1000);
        for (let n = 0; sent < due && n < MAX_PER_TURN; n++, sent++) {
          publisher?.send(
            `42${NAMESPACE},${JSON.stringify(['project:progress', { projectId: PROJECT_ID, progress: sent % 101 }])}`,
          );
        }
        if (sent < due) sent = due;
      }, TICK_MS);
    },
    stop: () => clearInterval(publishing),
    measureStart: () => {
      received = 0;
      measureStart = performance.now();
      measuring = true;
    },
    measureStop: () => {
      measuring = false;
      return { received, elapsedMs: performance.now() - measureStart };
    },
  },
  {},
  async () => {
    clearInterval(publishing);
    for (const socket of [...members, publisher]) socket?.terminate();
  },
);
