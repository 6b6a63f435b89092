/**
 * A Socket.IO server under load, alone in its process: `bare` is plain `socket.io` doing what the
 * reference server does for a project update — a `project:progress` from one client goes out as
 * `project:update` to every socket in the project's room — and `tidewire` is the reference server's
 * Socket.IO binding (validation, the projects handler, per-session seq and offsets).
 *
 * Usage: node --import tsx bench/processes/socketio-fanout-server.ts <bare|tidewire>
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpuWindowCommands, failStartup, serveCommands } from '../lib/child.js';

interface Started {
  url: string;
  token: string;
  close(): Promise<void>;
}

async function startBare(): Promise<Started> {
  const { Server } = await import('socket.io');
  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false, transports: ['websocket'] });
  const projects = io.of('/projects');
  projects.on('connection', (socket) => {
    socket.on('project:join', ({ projectId }: { projectId: number }) => {
      void socket.join(`project:${projectId}`);
      socket.emit('project:joined', { type: 'project_joined', projectId });
    });
    socket.on('project:progress', ({ projectId, progress }: { projectId: number; progress: number }) => {
      projects.to(`project:${projectId}`).emit('project:update', {
        type: 'project_update',
        projectId,
        kind: 'progress',
        data: { progress },
        timestamp: new Date().toISOString(),
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, token: 'unused', close: () => io.close() };
}

async function startTidewire(): Promise<Started> {
  const { createServer } = await import('../../src/server/index.js');
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    // Generous limits and a quiet simulation, so that nothing but the fan-out is measured.
    rateLimit: { maxMessages: 10_000_000, windowMs: 60_000 },
    simulation: { seed: 1, speed: 0.001 },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    token: await server.mintToken('1'),
    close: () => server.close(),
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'bare' && kind !== 'tidewire') throw new Error(`unknown server kind ${kind}`);
  const started = kind === 'bare' ? await startBare() : await startTidewire();
  serveCommands(cpuWindowCommands(), { url: started.url, token: started.token, kind }, () => started.close());
}

main().catch(failStartup);
