/**
 * TLS for the runner's tests: a self-signed certificate for 127.0.0.1 made with the machine's `openssl`,
 * and a TLS terminator in front of a plain server, so the same reference server can be reached as wss://.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export interface Certificate {
  key: string;
  cert: string;
  /** The certificate as a file, for `--ca`. */
  certFile: string;
  remove(): void;
}

export function selfSignedCertificate(): Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return {
    key: fs.readFileSync(keyFile, 'utf8'),
    cert: fs.readFileSync(certFile, 'utf8'),
    certFile,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsTerminator {
  port: number;
  close(): Promise<void>;
}

/** Accepts TLS on an ephemeral port and pipes each connection to `targetPort` in plain TCP. */
export async function tlsTerminator(targetPort: number, certificate: Certificate): Promise<TlsTerminator> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: certificate.key, cert: certificate.cert }, (secure) => {
    const plain = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const socket of [secure, plain]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    secure.pipe(plain).pipe(secure);
    secure.on('close', () => plain.destroy());
    plain.on('close', () => secure.destroy());
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
