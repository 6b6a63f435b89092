/** What a Socket.IO probe needs from the check it belongs to. */
import type { Transcript } from '../transcript.js';
import type { TargetTransport } from '../types.js';

export interface SocketIoProbeEnvironment {
  readonly transcript: Transcript;
  readonly timeoutScale: number;
  /** Aborted at the check's deadline: every pending wait fails at once. */
  readonly signal: AbortSignal;
  /** The run's TLS trust and extra headers (`--ca`, `--insecure`, `--header`), for every request. */
  readonly transport: TargetTransport;
  /** `http(s)://host:port` of the server under test, for socket.io-client. */
  readonly origin: string;
  /** The Engine.IO path under the target (`/socket.io/`, after the target's own path prefix). */
  readonly path: string;
  /** The URL of an Engine.IO handshake with this transport (ws:// for `websocket`). */
  engineUrl(transport: 'polling' | 'websocket'): string;
  nextConnectionNumber(): number;
  /** ms since the check started. */
  now(): number;
  /** Validates one received event of a namespace (SIO-011). */
  inspectEvent(namespace: string, event: string, args: readonly unknown[]): void;
}
