/**
 * The generated event maps of the Socket.IO binding (generated/socketio) type `socket.io-client` and
 * `socket.io` as their generics: a project using them compiles, and a wrong payload, a wrong
 * acknowledgement callback, an unknown event or a field the payload does not have fails to compile.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../codegen/support/generate-cli.js';

const COMPILE_DEADLINE_MS = 120_000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-socketio-consumer-'));

const CONSUMER_SOURCE = `import { Server, type Namespace } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import type {
  ChatClientToServerEvents,
  ChatServerToClientEvents,
  ClientToServerEvents,
  ServerToClientEvents,
  SocketIoReply,
} from 'tidewire-socketio';

export const seen: unknown[] = [];
const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io('http://localhost:3000', {
  auth: { token: 'a token' },
});
socket.on('message:new', (message, offset) => {
  const content: string = message.message.content;
  seen.push(content, offset);
});
socket.on('error', (error) => seen.push(error.code));
socket.emit('chat:join', { conversationId: 12 });
socket.emit('message:send', { conversationId: 12, content: 'Hi' }, (reply) => {
  if (reply.type === 'ack') seen.push(reply.data);
  else seen.push(reply.error.code);
});

const chat: Socket<ChatServerToClientEvents, ChatClientToServerEvents> = io('http://localhost:3000/chat');
chat.emit('chat:message', { conversationId: 12, content: 'a photo', type: 'image', metadata: {} });
export async function join(): Promise<void> {
  const reply: SocketIoReply = await chat.timeout(1000).emitWithAck('chat:join', { conversationId: 1 });
  seen.push(reply.type);
}

const server = new Server<ClientToServerEvents, ServerToClientEvents>();
server.on('connection', (client) => {
  client.on('message:send', (payload, ack) => {
    seen.push(payload.content);
    ack?.({ type: 'ack', id: 0, ok: true, data: { messageId: 1 } });
  });
  client.emit('project:update', { type: 'project_update', projectId: 7, kind: 'progress', data: { progress: 75 } });
});
const projects = server.of('/projects') as unknown as Namespace<ClientToServerEvents, ServerToClientEvents>;
projects.to('project:7').emit('user:joined', { type: 'user_joined', userId: '2', projectId: 7 });
`;

function tsc(): Promise<{ code: number; output: string }> {
  const tscBin = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tscBin, '--noEmit', '-p', root],
      { timeout: COMPILE_DEADLINE_MS },
      (error, stdout) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout }),
    );
  });
}

beforeAll(() => {
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const compilerOptions = {
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    strict: true,
    lib: ['ES2022', 'DOM'],
    types: ['node'],
    skipLibCheck: true,
    paths: { 'tidewire-socketio': [path.join(REPO_ROOT, 'generated', 'socketio', 'index.ts')] },
  };
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }));
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the generated Socket.IO event maps', { timeout: COMPILE_DEADLINE_MS }, () => {
  it('type socket.io-client and socket.io: typed handlers, payloads and acknowledgements compile', async () => {
    fs.writeFileSync(path.join(root, 'consumer.ts'), CONSUMER_SOURCE);
    const result = await tsc();
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuse a wrong payload, a wrong acknowledgement, an unknown event and a missing field', async () => {
    const wrong = `${CONSUMER_SOURCE}
socket.emit('chat:join', { conversationId: 'twelve' });
socket.emit('message:send', { conversationId: 12, content: 'Hi' }, (reply: string) => seen.push(reply));
socket.emit('chat:jion', { conversationId: 12 });
socket.on('project:update', (update) => seen.push(update.kind, update.projectid as number));
socket.on('project:joined', (joined) => {
  const id: number = joined.projectid;
  seen.push(id);
});
`;
    fs.writeFileSync(path.join(root, 'consumer.ts'), wrong);
    const lineOf = (text: string) => wrong.split('\n').findIndex((line) => line.includes(text)) + 1;
    const result = await tsc();
    expect(result.code).not.toBe(0);
    // Server payloads allow added properties (as unknown): a misspelt field fails where its type matters.
    for (const text of ["'twelve'", '(reply: string)', "'chat:jion'", 'joined.projectid']) {
      expect(result.output).toMatch(new RegExp(`consumer\\.ts\\(${lineOf(text)},\\d+\\): error TS2\\d+`));
    }
    expect(
      result.output
        .trim()
        .split('\n')
        .filter((line) => line.includes('consumer.ts(')),
    ).toHaveLength(4);
  });
});
