/**
 * `npm start`: runs the reference server until SIGTERM or SIGINT (then closes every connection with 1001
 * and exits 0). Every server option is a flag; `--help` lists them. A bad flag is one line and exit 2.
 */
import { parseArgs } from 'node:util';
import { Defaults } from '../protocol/constants.js';
import type { Family } from '../protocol/endpoints.js';
import type { ProfileName } from '../protocol/profiles.js';
import { redactUrl } from './cluster/redis-url.js';
import { createServer, DEV_TOKEN_SECRET, type ServerOptions } from './index.js';

const USAGE = `Usage: npm start -- [options]

Runs the Tidewire reference server (simulated campaign, chat and market endpoints).

Options:
  --port <n>                   port to listen on (env PORT, default 3000; 0 picks a free one)
  --host <name>                interface to listen on (env HOST, default localhost)
  --heartbeat-interval-ms <n>  RFC and application ping interval (default 30000)
  --heartbeat-timeout-ms <n>   close 4408 when a ping is not answered within this (default 10000)
  --resume-window-ms <n>       how long a dropped session can be resumed (default 120000)
  --max-message-bytes <n>      larger client messages get close 1009 (default 65536)
  --rate-limit-max <n>         client messages allowed per window (default 100)
  --rate-limit-window-ms <n>   rate limit window (default 60000)
  --user-rate-limit-max <n>    messages per window of all of a user's connections (default 50 x
                               --rate-limit-max); connections without a token count per address
  --user-rate-limit-window-ms <n>  window of the per-user limit (default --rate-limit-window-ms)
  --max-message-depth <n>      deeper nested client messages get INVALID_MESSAGE (default 32)
  --max-message-items <n>      client messages with more array elements and object members get
                               INVALID_MESSAGE (default 1024)
  --connections-per-user <n>   open connections per user; more get 1013 (default 64)
  --connections-per-address <n>  open connections per client address; more get HTTP 429 (default 256)
  --max-connections <n>        open connections in total; more get HTTP 503 (default 10000)
  --handshake-timeout-ms <n>   upgrade requests not complete in time get HTTP 408 (default 10000)
  --resume-buffer-bytes <n>    characters of data messages kept per session for resume (default 1048576)
  --chat-chars-per-user <n>    characters of chat messages kept per user (default 1048576)
  --chat-total-chars <n>       characters of chat messages kept in all (default 33554432)
  --auth <required|optional>   whether campaign and market endpoints need a token (default optional)
  --token-secret <secret>      HS256 secret of tokens (default: the development secret)
  --allowed-origins <list>     comma-separated Origins (http://localhost:* style) or * (default localhost)
  --seed <n>                   seed of the simulated sources (default 1)
  --speed <x>                  multiplies the cadence of the simulated sources (default 1)
  --families <list>            comma-separated families to serve: campaign,chat,market (default all)
  --profiles <list>            comma-separated profiles to offer instead: campaign-sender, pilito,
                               depth, market-data (a server built like one source system)
  --no-socket-io               do not serve the Socket.IO binding (/socket.io/, with the depth profile)
  --faults <list>              comma-separated requirement IDs to break on purpose (for runner tests)
  --redis <url>                redis://host:port[/db]: one instance of a deployment sharing sessions,
                               rooms and data through Redis (env REDIS_URL; docs/cluster.md)
  --instance-id <id>           this instance's id in connection_established (default: random)
  --lease-ms <n>               with --redis: a simulated source's lease time (default 3000)
  --redis-retry-ms <n>         with --redis: wait between reconnects to Redis, and the retryAfterMs
                               clients get while it is unreachable (default 1000)
  -h, --help                   show this help`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'heartbeat-interval-ms': { type: 'string' },
  'heartbeat-timeout-ms': { type: 'string' },
  'resume-window-ms': { type: 'string' },
  'max-message-bytes': { type: 'string' },
  'rate-limit-max': { type: 'string' },
  'rate-limit-window-ms': { type: 'string' },
  'user-rate-limit-max': { type: 'string' },
  'user-rate-limit-window-ms': { type: 'string' },
  'max-message-depth': { type: 'string' },
  'max-message-items': { type: 'string' },
  'connections-per-user': { type: 'string' },
  'connections-per-address': { type: 'string' },
  'max-connections': { type: 'string' },
  'handshake-timeout-ms': { type: 'string' },
  'resume-buffer-bytes': { type: 'string' },
  'chat-chars-per-user': { type: 'string' },
  'chat-total-chars': { type: 'string' },
  auth: { type: 'string' },
  'token-secret': { type: 'string' },
  'allowed-origins': { type: 'string' },
  seed: { type: 'string' },
  speed: { type: 'string' },
  families: { type: 'string' },
  profiles: { type: 'string' },
  'no-socket-io': { type: 'boolean' },
  faults: { type: 'string' },
  redis: { type: 'string' },
  'instance-id': { type: 'string' },
  'lease-ms': { type: 'string' },
  'redis-retry-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

/** `name` is how the user gave the value: `--seed`, or `PORT` from the environment. */
function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value)) throw new UsageError(`${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function parseCli(argv: string[], env: NodeJS.ProcessEnv): ServerOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (values.help) return 'help';
  const auth = values.auth;
  if (auth !== undefined && auth !== 'required' && auth !== 'optional') {
    throw new UsageError(`--auth must be "required" or "optional", got "${auth}"`);
  }
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(speed > 0))
    throw new UsageError(`--speed must be a number above 0, got "${values.speed}"`);
  const maxMessages = integer('--rate-limit-max', values['rate-limit-max']);
  const windowMs = integer('--rate-limit-window-ms', values['rate-limit-window-ms']);
  const rateLimit =
    maxMessages === undefined && windowMs === undefined
      ? undefined
      : {
          maxMessages: maxMessages ?? Defaults.rateLimitMaxMessages,
          windowMs: windowMs ?? Defaults.rateLimitWindowMs,
        };
  const userMaxMessages = integer('--user-rate-limit-max', values['user-rate-limit-max']);
  const userWindowMs = integer('--user-rate-limit-window-ms', values['user-rate-limit-window-ms']);
  const origins = values['allowed-origins'];
  return {
    port: (values.port !== undefined ? integer('--port', values.port) : integer('PORT', env.PORT)) ?? 3000,
    host: values.host ?? env.HOST ?? 'localhost',
    heartbeatIntervalMs: integer('--heartbeat-interval-ms', values['heartbeat-interval-ms']),
    heartbeatTimeoutMs: integer('--heartbeat-timeout-ms', values['heartbeat-timeout-ms']),
    resumeWindowMs: integer('--resume-window-ms', values['resume-window-ms']),
    maxMessageBytes: integer('--max-message-bytes', values['max-message-bytes']),
    rateLimit,
    userRateLimit:
      userMaxMessages === undefined && userWindowMs === undefined
        ? undefined
        : {
            maxMessages:
              userMaxMessages ??
              (rateLimit?.maxMessages ?? Defaults.rateLimitMaxMessages) * Defaults.userRateLimitFactor,
            windowMs: userWindowMs ?? rateLimit?.windowMs ?? Defaults.rateLimitWindowMs,
          },
    maxMessageDepth: integer('--max-message-depth', values['max-message-depth']),
    maxMessageItems: integer('--max-message-items', values['max-message-items']),
    connectionLimits: {
      perUser: integer('--connections-per-user', values['connections-per-user']),
      perAddress: integer('--connections-per-address', values['connections-per-address']),
      total: integer('--max-connections', values['max-connections']),
    },
    handshakeTimeoutMs: integer('--handshake-timeout-ms', values['handshake-timeout-ms']),
    resumeBufferBytes: integer('--resume-buffer-bytes', values['resume-buffer-bytes']),
    chatQuota: {
      charsPerUser: integer('--chat-chars-per-user', values['chat-chars-per-user']),
      totalChars: integer('--chat-total-chars', values['chat-total-chars']),
    },
    auth,
    tokenSecret: values['token-secret'],
    allowedOrigins: origins === undefined ? undefined : origins.trim() === '*' ? '*' : list(origins),
    simulation: { seed: integer('--seed', values.seed), speed },
    families: list(values.families) as Family[] | undefined,
    profiles: list(values.profiles) as ProfileName[] | undefined,
    socketIo: values['no-socket-io'] ? false : undefined,
    faults: list(values.faults),
    redis: values.redis ?? nonEmpty(env.REDIS_URL),
    instanceId: values['instance-id'],
    cluster: {
      leaseMs: integer('--lease-ms', values['lease-ms']),
      reconnectMs: integer('--redis-retry-ms', values['redis-retry-ms']),
    },
  };
}

async function main(): Promise<void> {
  let options: ServerOptions | 'help';
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`tidewire: ${(error as Error).message} (see --help)\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let server;
  try {
    server = await createServer({
      ...withoutUndefined(options),
      logger: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`tidewire: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const token = await server.mintToken('1', { expiresInSeconds: 24 * 3600 });
  process.stdout.write(`Tidewire reference server listening on ${server.url}\n`);
  if (server.options.socketIo && server.options.families.includes('chat')) {
    process.stdout.write(`Socket.IO binding on ${server.url.replace(/^ws/, 'http')} (path /socket.io/)\n`);
  }
  const secretNote =
    server.options.tokenSecret === DEV_TOKEN_SECRET ? 'development secret' : 'configured secret';
  process.stdout.write(`Dev token for user 1 (24 h, ${secretNote}): ${token}\n`);
  if (server.options.faults.length > 0)
    process.stdout.write(`Faults on purpose: ${server.options.faults.join(', ')}\n`);
  if (server.options.redis !== undefined)
    process.stdout.write(
      `Instance ${server.options.instanceId} of the deployment sharing ${redactUrl(server.options.redis)}\n`,
    );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Drops undefined fields (nested ones too) so the server's defaults apply. */
function withoutUndefined(options: ServerOptions): ServerOptions {
  const defined = (value: object) => Object.entries(value).filter(([, v]) => v !== undefined);
  return Object.fromEntries(
    defined(options).map(([key, value]) =>
      isPlainObject(value) ? [key, Object.fromEntries(defined(value))] : [key, value],
    ),
  ) as ServerOptions;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

await main();
