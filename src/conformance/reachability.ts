/**
 * The up-front check that something listens at the target: a closed port or an unknown host is a usage
 * problem (exit 2 with one line), not a list of failed checks.
 */
import net from 'node:net';
import { RunnerError } from './runner-error.js';

/** Checks that the URL is a ws:// or wss:// URL with a host; returns it parsed. */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RunnerError(`malformed URL "${raw}" (expected ws://host:port or wss://host:port)`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new RunnerError(`unsupported URL scheme "${url.protocol}" in "${raw}" (expected ws:// or wss://)`);
  }
  if (url.hostname === '') throw new RunnerError(`URL "${raw}" has no host`);
  return url;
}

export async function assertReachable(url: URL, timeoutMs: number): Promise<void> {
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const where = `${url.hostname}:${port}`;
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RunnerError(`cannot connect to ${where}: no answer within ${Math.round(timeoutMs)} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new RunnerError(`cannot connect to ${where}: ${describeNetworkError(error)}`));
    });
  });
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
