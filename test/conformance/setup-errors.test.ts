/**
 * The setup-error matrix: every way a run can be pointed at the wrong thing ends with status 2 and one
 * actionable line on stderr, before any check runs, and never as a list of failed checks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { cli } from './support/run-cli-captured.js';
import {
  selfSignedCertificate,
  tlsTerminator,
  type Certificate,
  type TlsTerminator,
} from './support/tls-fixture.js';

const SECRET = 'the-right-secret';
const ONE_LINE_ERROR = /^error: [^\n]+\n$/;

let reference: ReferenceServer;
let certificate: Certificate;
let tlsFront: TlsTerminator;
let plainHttp: http.Server;
let socketIo: SocketIoServer;
let socketIoUrl: string;
let closedPort: number;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  reference = await createServer({ port: 0, host: '127.0.0.1', auth: 'required', tokenSecret: SECRET });
  certificate = selfSignedCertificate();
  tlsFront = await tlsTerminator(reference.port, certificate);
  plainHttp = http.createServer((_request, response) => response.end('<html>hello</html>'));
  await listen(plainHttp);
  const socketIoHttp = http.createServer();
  socketIo = new SocketIoServer(socketIoHttp);
  socketIoUrl = `http://127.0.0.1:${await listen(socketIoHttp)}`;
  const closed = http.createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  await Promise.all([
    reference.close(),
    tlsFront.close(),
    new Promise((resolve) => plainHttp.close(resolve)),
    socketIo.close(),
  ]);
  certificate.remove();
});

const port = (server: http.Server) => (server.address() as AddressInfo).port;

describe('a run pointed at the wrong thing', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    [
      'a wrong --token-secret',
      () => ['--url', reference.url, '--token-secret', 'not-the-secret'],
      /^error: the server refused the tokens minted with --token-secret on every endpoint \(close 4001 "invalid token signature"\): check the secret/,
    ],
    [
      'a garbage --token',
      () => ['--url', reference.url, '--token', 'garbage'],
      /^error: the server refused the token given with --token on every endpoint \(close 4001 "malformed token"\): check --token/,
    ],
    [
      'no token for a server that requires one',
      () => ['--url', reference.url],
      /^error: the server refuses connections without a token on every endpoint \(close 4001 .*\): give --token, or --token-secret/,
    ],
    [
      'a self-signed certificate',
      () => ['--url', `wss://127.0.0.1:${tlsFront.port}`, '--token-secret', SECRET],
      /^error: the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(self-signed certificate\): pass --ca FILE .*, or --insecure/,
    ],
    [
      'a plain HTTP server answering 200',
      () => ['--url', `ws://127.0.0.1:${port(plainHttp)}`],
      /^error: no WebSocket endpoint at ws:\/\/127\.0\.0\.1:\d+\/: the upgrade on \/ws\/campaigns, .* got HTTP 200 \(a plain HTTP server\?\)/,
    ],
    [
      'ws:// to a TLS port',
      () => ['--url', `ws://127.0.0.1:${tlsFront.port}`, '--token-secret', SECRET],
      /^error: 127\.0\.0\.1:\d+ speaks TLS: use wss:\/\/127\.0\.0\.1:\d+\//,
    ],
    [
      'wss:// to a plain port',
      () => ['--url', reference.url.replace(/^ws:/, 'wss:'), '--token-secret', SECRET],
      /^error: 127\.0\.0\.1:\d+ does not speak TLS .*: use ws:\/\/127\.0\.0\.1:\d+\//,
    ],
    [
      'a Socket.IO server when the WebSocket binding is asked for',
      () => ['--url', socketIoUrl, '--binding', 'websocket'],
      /^error: found a Socket\.IO server \(Engine\.IO 4 at \/socket\.io\/\) at 127\.0\.0\.1:\d+ and no Tidewire WebSocket endpoint; check it with --binding socket\.io/,
    ],
    [
      'a Socket.IO server and no Socket.IO check selected',
      () => ['--url', socketIoUrl, '--only', 'HS-002'],
      /^error: found a Socket\.IO server .* and no Tidewire WebSocket endpoint, but this run selects no Socket\.IO checks \(--binding socket\.io runs them\)/,
    ],
    [
      'the Socket.IO binding asked of a WebSocket server',
      () => ['--url', reference.url, '--token-secret', SECRET, '--binding', 'socket.io'],
      /^error: no Socket\.IO server at 127\.0\.0\.1:\d+: \/socket\.io\/\?EIO=4&transport=polling answered HTTP 426; it serves the WebSocket binding \(--binding websocket\)/,
    ],
    [
      'nothing listening',
      () => ['--url', `ws://127.0.0.1:${closedPort}`],
      /^error: cannot connect to 127\.0\.0\.1:\d+: connection refused/,
    ],
  ];

  it.each(cases)('exits 2 with one actionable line for %s', async (_name, args, message) => {
    const result = await cli(args());
    expect(result.stderr).toMatch(ONE_LINE_ERROR);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });
});
