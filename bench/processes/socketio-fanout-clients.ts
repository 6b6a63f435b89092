/**
 * Many Socket.IO members of one project room in one process, apart from the server's, plus one publisher:
 * members join the room and count the `project:update` events they receive; the publisher, a member too,
 * keeps a few `project:progress` events in flight (one more each time an update comes back to it), so the
 * server runs at its ceiling without queues growing anywhere. Every socket is spoken to in Engine.IO framing over `ws`
 * (`40/projects,{…}` connect, `42/projects,[…]` events, `2`/`3` heartbeat), so that the client side costs
 * the same for both servers and nothing of a client library is measured.
 */
import WebSocket from 'ws';
import { serveCommands } from '../lib/child.js';

const NAMESPACE = '/projects';
const PROJECT_ID = 1;
const UPDATE_PREFIX = `42${NAMESPACE},["project:update"`;

const members: WebSocket[] = [];
let publisher: WebSocket | undefined;
let measuring = false;
let received = 0;
let measureStart = 0;
let publishing = false;
let published = 0;

function publishOne(): void {
  published++;
  publisher?.send(
    `42${NAMESPACE},${JSON.stringify(['project:progress', { projectId: PROJECT_ID, progress: published % 101 }])}`,
  );
}

/** One socket on the namespace, joined to the project room; `onUpdate` hears every update it gets. */
function open(url: string, token: string, timeoutMs: number, onUpdate?: () => void): Promise<WebSocket> {
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
        onUpdate?.();
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
      publisher = await open(url, token, timeoutMs, () => {
        if (publishing) publishOne();
      });
      return { members: members.length };
    },
    /** Keeps `inFlight` project:progress events between the publisher and the server until `stop`. */
    publish: ({ inFlight }: { inFlight: number }) => {
      publishing = true;
      for (let i = 0; i < inFlight; i++) publishOne();
    },
    stop: () => {
      publishing = false;
    },
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
    publishing = false;
    for (const socket of [...members, publisher]) socket?.terminate();
  },
);
