/**
 * The instances' connection to Redis: one client for commands, more for blocking reads and pub/sub, all
 * reconnecting on their own. The link says whether Redis can be reached now (a lost link turns every
 * command into a `StoreUnavailableError`, so the server refuses new connections and closes live ones with
 * 1013), runs Lua scripts, tells when every write issued so far has landed, and estimates Redis's clock.
 */
import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import { StoreUnavailableError } from '../core/session-store.js';
import { redactUrl } from './redis-url.js';

type Client = ReturnType<typeof createClient>;
/** A reply of a raw command: strings, numbers, null, arrays of those. */
export type Reply = string | number | null | Reply[];

export interface RedisLinkOptions {
  /** `redis://host:port[/db]` or `unix:///path/to/socket`. */
  url: string;
  /** How long to wait between reconnect attempts; also the `retryAfterMs` given to clients meanwhile. */
  reconnectMs: number;
  /** How long the first connection may take before the server gives up starting. */
  connectTimeoutMs: number;
  logger: (line: string) => void;
}

/** A Lua script, run by its SHA1 and loaded again when Redis has forgotten it (after a restart). */
export class LuaScript {
  readonly sha1: string;

  constructor(readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }
}

export class RedisLink {
  private readonly clients: Client[] = [];
  private readonly listeners = new Set<(available: boolean) => void>();
  private available = false;
  private failures = 0;
  /** Redis's clock minus this process's, measured when the link became available. */
  private clockOffsetMs = 0;
  private closed = false;

  private constructor(
    private readonly options: RedisLinkOptions,
    readonly commands: Client,
  ) {}

  /** Connects, or fails with a one-line reason once `connectTimeoutMs` has passed. */
  static async connect(options: RedisLinkOptions): Promise<RedisLink> {
    const link = new RedisLink(options, newClient(options));
    await link.open(link.commands, true);
    return link;
  }

  /** Another connection to the same Redis, for blocking reads or pub/sub, opened and watched like the first. */
  async extraClient(): Promise<Client> {
    const client = this.commands.duplicate();
    await this.open(client, false);
    return client;
  }

  get isAvailable(): boolean {
    return this.available;
  }

  /** How long clients are asked to wait when Redis cannot be reached. */
  get retryAfterMs(): number {
    return this.options.reconnectMs;
  }

  /** Tells `listener` each time Redis becomes unreachable (false) or reachable again (true). */
  onAvailability(listener: (available: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The error clients get while Redis cannot be reached. */
  unavailable(): StoreUnavailableError {
    return new StoreUnavailableError('the shared store is unreachable; try again later', this.retryAfterMs);
  }

  /** Runs a raw command; a lost connection rejects with `StoreUnavailableError`. */
  async send(args: readonly (string | number)[]): Promise<Reply> {
    if (!this.available) throw this.unavailable();
    try {
      return (await this.commands.sendCommand(args.map(String))) as Reply;
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Runs a Lua script with its keys and arguments. */
  async run(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<Reply> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.send(['EVALSHA', script.sha1, ...tail]);
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.send(['EVAL', script.source, ...tail]);
    }
  }

  /** Resolves once every command sent before it has been answered; rejects when one of them failed. */
  async barrier(): Promise<void> {
    const before = this.failures;
    await this.send(['PING']);
    if (this.failures !== before) throw this.unavailable();
  }

  /** Redis's clock now, in ms (stream ids are made from it). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.available = false;
    await Promise.all(
      this.clients.map(async (client) => {
        try {
          await client.close();
        } catch {
          client.destroy();
        }
      }),
    );
  }

  private failure(error: unknown): unknown {
    if (error instanceof ErrorReply) return error;
    this.failures += 1;
    return this.unavailable();
  }

  private async open(client: Client, first: boolean): Promise<void> {
    this.clients.push(client);
    client.on('error', () => {
      // Reconnects are the client's own business; what matters is reported through availability.
    });
    if (first) {
      client.on('ready', () => void this.becameAvailable());
      client.on('reconnecting', () => this.becameUnavailable());
      client.on('end', () => this.becameUnavailable());
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `cannot reach Redis at ${redactUrl(this.options.url)} within ${this.options.connectTimeoutMs} ms`,
            ),
          ),
        this.options.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([client.connect(), timeout]);
    } catch (error) {
      client.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (first) await this.becameAvailable();
  }

  private async becameAvailable(): Promise<void> {
    if (this.available || this.closed) return;
    try {
      const before = Date.now();
      const [seconds, micros] = (await this.commands.sendCommand(['TIME'])) as [string, string];
      const redisMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      this.clockOffsetMs = Math.round(redisMs - (before + Date.now()) / 2);
    } catch {
      return; // not reachable after all: the next `ready` tries again
    }
    if (this.available || this.closed) return;
    this.available = true;
    this.options.logger('redis: reachable');
    for (const listener of [...this.listeners]) listener(true);
  }

  private becameUnavailable(): void {
    if (!this.available || this.closed) return;
    this.available = false;
    this.options.logger(`redis: unreachable; retrying every ${this.options.reconnectMs} ms`);
    for (const listener of [...this.listeners]) listener(false);
  }
}

function newClient(options: RedisLinkOptions): Client {
  const socket = { reconnectStrategy: () => options.reconnectMs, connectTimeout: options.connectTimeoutMs };
  if (options.url.startsWith('unix://')) {
    return createClient({
      socket: { ...socket, path: decodeURIComponent(new URL(options.url).pathname) },
      disableOfflineQueue: true,
    });
  }
  return createClient({ url: options.url, socket, disableOfflineQueue: true });
}
