/**
 * A plain socket.io server that serves `/projects` its own way, within the binding's rules: socket.io's
 * own connection state recovery (its pid and offset formats, its replay before CONNECT), project events
 * whose payloads have their keys in another order and fields the schemas do not name, and packets whose
 * JSON has spaces after its commas and colons, as python-socketio writes it. Given a Redis server, it is one
 * instance of a deployment through `@socket.io/redis-streams-adapter`, which keeps socket.io's recovery
 * working across instances.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { jwtVerify } from 'jose';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { spacedParser } from './spaced-parser.js';

export interface NativeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface NativeServerOptions {
  secret: string;
  heartbeatMs: number;
  recoveryWindowMs: number;
  /** Where Engine.IO is served; default `/socket.io/`. */
  path?: string;
  /** A header every HTTP request must carry (as an API gateway would demand); others get HTTP 403. */
  requiredHeader?: { name: string; value: string };
  /** The Unix socket of a Redis server the instances of one deployment share; default: none. */
  redisSocketPath?: string;
}

export async function startNativeRecoveryServer(options: NativeServerOptions): Promise<NativeServer> {
  const { secret, heartbeatMs, recoveryWindowMs, requiredHeader } = options;
  const key = new TextEncoder().encode(secret);
  const httpServer = createServer();
  const redis = options.redisSocketPath
    ? createClient({ socket: { path: options.redisSocketPath, tls: false } })
    : undefined;
  await redis?.connect();
  const io = new Server(httpServer, {
    ...(redis ? { adapter: createAdapter(redis) } : {}),
    serveClient: false,
    path: options.path ?? '/socket.io/',
    allowRequest: (request, answer) =>
      answer(null, !requiredHeader || request.headers[requiredHeader.name] === requiredHeader.value),
    pingInterval: heartbeatMs,
    pingTimeout: heartbeatMs,
    parser: spacedParser,
    connectionStateRecovery: { maxDisconnectionDuration: recoveryWindowMs, skipMiddlewares: true },
  });
  const projects = io.of('/projects');
  projects.use(async (socket, next) => {
    try {
      const { payload } = await jwtVerify(String(socket.handshake.auth.token), key);
      socket.data.userId = payload.sub;
      next();
    } catch {
      next(Object.assign(new Error('invalid token'), { data: { type: 'authentication_error' } }));
    }
  });
  projects.on('connection', (socket) => {
    const stamp = () => ({ timestamp: new Date().toISOString(), server: 'native' });
    socket.on('project:join', ({ projectId }: { projectId: number }, ack?: (reply: unknown) => void) => {
      void socket.join(`project:${projectId}`);
      socket.emit('project:joined', { projectId, ...stamp(), type: 'project_joined' });
      ack?.({ ok: true, data: { projectId }, type: 'ack', id: 0, ...stamp() });
    });
    socket.on('project:comment', ({ projectId, comment }: { projectId: number; comment: string }) => {
      projects.to(`project:${projectId}`).emit('project:update', {
        data: { comment },
        ...stamp(),
        type: 'project_update',
        projectId,
        kind: 'comment',
        userId: socket.data.userId,
      });
    });
    socket.on('project:progress', ({ projectId, progress }: { projectId: number; progress: number }) => {
      projects.to(`project:${projectId}`).emit('project:update', {
        ...stamp(),
        data: { progress },
        kind: 'progress',
        userId: socket.data.userId,
        projectId,
        type: 'project_update',
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    close: async () => {
      await io.close();
      await redis?.quit();
    },
  };
}
