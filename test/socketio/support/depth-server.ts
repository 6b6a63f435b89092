/**
 * A Socket.IO server written the way source 002 (the "Depth" platform) describes its own: plain
 * `socket.io` with a Redis adapter, the guide's server options, namespaces, token middleware, rate limiter,
 * room handlers, error handler and validation middleware, each as the guide writes it. What the guide
 * leaves undefined is filled in plainly: `getUserById`, `checkProjectAccess` and `validateEventData`.
 * The guide's `@socket.io/redis-adapter` with ioredis is here `@socket.io/redis-streams-adapter` with
 * node-redis (the Redis adapter installed in this repository); the ping timers are the test's.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { jwtVerify } from 'jose';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';

export interface DepthServerOptions {
  redisSocketPath: string;
  /** The guide's JWT_SECRET. */
  secret: string;
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

export interface DepthServer {
  url: string;
  close(): Promise<void>;
}

/** What the guide's middleware stores on a socket. */
type DepthSocket = Socket & { userId?: string; userRole?: string };

/** Users 1 to 10 exist (the guide's getUserById reads them from its database). */
async function getUserById(id: unknown): Promise<{ id: string; role: string } | undefined> {
  return /^(?:[1-9]|10)$/.test(String(id)) ? { id: String(id), role: 'member' } : undefined;
}

async function checkProjectAccess(_userId: string | undefined, _projectId: unknown): Promise<boolean> {
  return true;
}

const EVENTS = new Set([
  'chat:join',
  'chat:message',
  'chat:typing',
  'chat:read',
  'message:send',
  'conversation:join',
  'project:join',
  'project:leave',
  'project:statusUpdate',
  'project:progress',
  'project:comment',
  'notifications:subscribe',
  'notifications:unsubscribe',
  'notification:read',
]);

/** The guide's events, with an object payload whose ids are numbers. */
function validateEventData(event: string, data: unknown): boolean {
  if (!EVENTS.has(event) || typeof data !== 'object' || data === null) return false;
  const { projectId, conversationId } = data as Record<string, unknown>;
  return [projectId, conversationId].every((id) => id === undefined || typeof id === 'number');
}

export async function startDepthServer(options: DepthServerOptions): Promise<DepthServer> {
  const key = new TextEncoder().encode(options.secret);
  const redis = createClient({ socket: { path: options.redisSocketPath, tls: false } });
  await redis.connect();
  const httpServer: HttpServer = createServer();

  // "تكوين الخادم" (server setup) and "ضغط البيانات" (compression).
  const io = new Server(httpServer, {
    cors: { origin: 'http://localhost:5173', credentials: true },
    adapter: createAdapter(redis),
    pingTimeout: options.pingTimeoutMs,
    pingInterval: options.pingIntervalMs,
    perMessageDeflate: { threshold: 1024, zlibDeflateOptions: { level: 6 } },
  });

  // "هيكل النطاقات" (namespaces).
  for (const namespace of ['/chat', '/projects', '/notifications', '/admin']) io.of(namespace);

  // "المصادقة بالرمز المميز" (token authentication).
  io.use(async (socket: DepthSocket, next) => {
    const token = socket.handshake.auth.token;
    if (!token) {
      return next(new Error('الرمز المميز مطلوب'));
    }
    try {
      const decoded = (await jwtVerify(token, key)).payload;
      const user = await getUserById(decoded.userId);
      if (!user) {
        return next(new Error('المستخدم غير موجود'));
      }
      socket.userId = user.id;
      socket.userRole = user.role;
      next();
    } catch {
      next(new Error('رمز مميز غير صالح'));
    }
  });

  // "تحديد المعدل" (rate limit).
  const rateLimiter = new Map<string | undefined, number[]>();
  io.use((socket: DepthSocket, next) => {
    const userId = socket.userId;
    const now = Date.now();
    const windowMs = 60000;
    const maxEvents = 100;
    if (!rateLimiter.has(userId)) {
      rateLimiter.set(userId, []);
    }
    const userEvents = rateLimiter.get(userId)!;
    const recentEvents = userEvents.filter((time) => now - time < windowMs);
    if (recentEvents.length >= maxEvents) {
      return next(new Error('تجاوز حد المعدل'));
    }
    recentEvents.push(now);
    rateLimiter.set(userId, recentEvents);
    next();
  });

  // "إنشاء والانضمام للغرف" (rooms), "معالجة الأخطاء" (errors and validation).
  io.on('connection', (socket: DepthSocket) => {
    socket.join(`user:${socket.userId}`);
    socket.on('project:join', async ({ projectId }) => {
      const hasAccess = await checkProjectAccess(socket.userId, projectId);
      if (hasAccess) {
        socket.join(`project:${projectId}`);
        socket.emit('project:joined', { projectId });
        socket.to(`project:${projectId}`).emit('user:joined', { userId: socket.userId, projectId });
      }
    });
    socket.on('project:leave', ({ projectId }) => {
      socket.leave(`project:${projectId}`);
      socket.to(`project:${projectId}`).emit('user:left', { userId: socket.userId });
    });
    socket.on('error', (error) => {
      socket.emit('error', { code: 'SOCKET_ERROR', message: 'حدث خطأ في الاتصال', details: error.message });
    });
    socket.use((packet, next) => {
      const [event, data] = packet;
      if (!validateEventData(event, data)) {
        return next(new Error('بيانات غير صالحة'));
      }
      next();
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      await io.close();
      await redis.quit();
    },
  };
}
