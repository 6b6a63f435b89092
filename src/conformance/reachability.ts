/**
 * The up-front checks that something listens at the target and that TLS is what the URL says: a closed
 * port, an unknown host, a certificate the runner does not trust, or `ws://` against a TLS port (and the
 * reverse) is a usage problem (exit 2 with one actionable line), not a list of failed checks.
 */
import net from 'node:net';
import tls from 'node:tls';
import { RunnerError } from './runner-error.js';
import type { TargetTransport } from './types.js';

/** The URL schemes the runner takes, and the WebSocket scheme each stands for. */
const SCHEMES: Readonly<Record<string, 'ws:' | 'wss:'>> = {
  'ws:': 'ws:',
  'wss:': 'wss:',
  'http:': 'ws:',
  'https:': 'wss:',
};

/**
 * Checks that the URL is a ws://, wss://, http:// or https:// URL with a host; returns it parsed, as
 * ws:// or wss:// (a Socket.IO server is often given as http://). Its path prefix and query are kept.
 */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RunnerError(`malformed URL "${raw}" (expected ws://host:port or wss://host:port)`);
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    throw new RunnerError(`unsupported URL scheme "${url.protocol}" in "${raw}" (expected ws:// or wss://)`);
  }
  if (url.hostname === '') throw new RunnerError(`URL "${raw}" has no host`);
  if (url.hash !== '')
    throw new RunnerError(`URL "${raw}" has a fragment (#…), which a WebSocket URL cannot carry`);
  // The WHATWG parser keeps a special scheme's default port out of `port`: switching schemes keeps the
  // port the user meant (http://h and ws://h both mean port 80).
  const port = url.port;
  url.protocol = scheme;
  if (port !== '') url.port = port;
  return url;
}

/** The target as http:// or https://, for plain HTTP requests (Engine.IO). */
export function httpUrlOf(url: URL): URL {
  const http = new URL(url);
  const port = url.port;
  http.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  if (port !== '') http.port = port;
  return http;
}

interface HostPort {
  host: string;
  port: number;
  /** `host:port` as the user wrote it. */
  where: string;
}

function hostPort(url: URL): HostPort {
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, where: `${url.hostname}:${port}` };
}

/** Connects (TCP, then TLS for wss://) and fails with one actionable line when that is impossible. */
export async function assertReachable(
  url: URL,
  timeoutMs: number,
  transport: Pick<TargetTransport, 'ca' | 'insecure'> = { insecure: false },
): Promise<void> {
  const target = hostPort(url);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new RunnerError(`cannot connect to ${target.where}: no answer within ${Math.round(timeoutMs)} ms`),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new RunnerError(`cannot connect to ${target.where}: ${describeNetworkError(error)}`));
    });
  });
  if (url.protocol !== 'wss:') return;
  const failure = await tlsHandshake(target, timeoutMs, transport);
  if (failure === undefined) return;
  if (isPlainPort(failure)) {
    throw new RunnerError(
      `${target.where} does not speak TLS (it answered the TLS handshake with something else): use ${withScheme(url, 'ws:')}`,
    );
  }
  throw new RunnerError(describeTlsFailure(target.where, failure));
}

/** Whether the port completes a TLS handshake (whatever its certificate): `ws://` to it is a mistake. */
export async function speaksTls(url: URL, timeoutMs: number): Promise<boolean> {
  return (await tlsHandshake(hostPort(url), timeoutMs, { insecure: true })) === undefined;
}

/** The URL with another scheme, for "use wss://…" advice. */
export function withScheme(url: URL, scheme: 'ws:' | 'wss:'): string {
  const other = new URL(url);
  const port = url.port;
  other.protocol = scheme;
  if (port !== '') other.port = port;
  return other.toString();
}

type TlsFailure = Error & { code?: string };

/** Completes a TLS handshake, or says how it failed (undefined when it succeeded). */
function tlsHandshake(
  target: HostPort,
  timeoutMs: number,
  trust: Pick<TargetTransport, 'ca' | 'insecure'>,
): Promise<TlsFailure | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: target.host,
      port: target.port,
      ...(net.isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(trust.ca !== undefined ? { ca: trust.ca } : {}),
      rejectUnauthorized: !trust.insecure,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(
        Object.assign(new Error(`no TLS handshake within ${Math.round(timeoutMs)} ms`), { code: 'TIMEOUT' }),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: TlsFailure) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    });
  });
}

/** OpenSSL's words for a peer that answered the ClientHello with something that is not TLS. */
function isPlainPort(failure: TlsFailure): boolean {
  return (
    failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    failure.code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    /wrong version number|packet length too long|unknown protocol|http request/i.test(failure.message)
  );
}

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

function describeTlsFailure(where: string, failure: TlsFailure): string {
  const code = failure.code ?? '';
  if (UNTRUSTED.has(code)) {
    return `the TLS certificate of ${where} is not trusted (${failure.message}): pass --ca FILE with the certificate that signs it, or --insecure to skip verification`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `the TLS certificate of ${where} is not valid now (${failure.message}): renew it, or pass --insecure to skip verification`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the TLS certificate of ${where} does not name that host (${failure.message.split(':')[0]}): use a name it lists, or pass --insecure to skip verification`;
  }
  return `TLS handshake with ${where} failed: ${failure.message.split('\n')[0]}`;
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return error.message;
  }
}
