/**
 * Command-line and config-file options of `tidewire-conformance`, resolved into run options and reporter
 * targets. Every mistake is a RunnerError with a one-line message (the CLI exits 2 with it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FAMILIES, type Family } from '../protocol/endpoints.js';
import { BINDINGS, type RunOptions } from './api.js';
import { TIMER_NAMES, type GivenTimers, type TimerName } from './discovery.js';
import { REPORTER_NAMES, type ReporterName } from './reporters/index.js';
import { closest, didYouMean, withOptionSuggestion } from './did-you-mean.js';
import { resolveReporters, type ReporterTarget } from './reporter-targets.js';
import { RunnerError } from './runner-error.js';
import { splitList } from './selection.js';
import type { Binding } from './types.js';

export const DEFAULT_CONFIG_FILE = 'tidewire.config.json';

const OPTIONS = {
  url: { type: 'string', multiple: true },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  list: { type: 'boolean' },
  token: { type: 'string' },
  'token-secret': { type: 'string' },
  user: { type: 'string' },
  param: { type: 'string', multiple: true },
  require: { type: 'string', multiple: true },
  timers: { type: 'string', multiple: true },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  header: { type: 'string', multiple: true },
  binding: { type: 'string' },
  'timeout-scale': { type: 'string' },
  'max-wait-ms': { type: 'string' },
  'quick-heartbeat': { type: 'boolean' },
  concurrency: { type: 'string' },
  repeat: { type: 'string' },
  strict: { type: 'boolean' },
  'expected-failures': { type: 'string' },
  reporter: { type: 'string', multiple: true },
  output: { type: 'string', multiple: true },
  verbose: { type: 'boolean' },
  'docs-base': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Config keys (camelCase of the long options) and the JSON types they take. */
const CONFIG_KEYS: Record<
  string,
  'string' | 'strings' | 'number' | 'boolean' | 'params' | 'fileOrIds' | 'timers'
> = {
  /** One URL, or one per instance of a deployment (cluster mode). */
  url: 'strings',
  only: 'strings',
  skip: 'strings',
  token: 'string',
  tokenSecret: 'string',
  user: 'string',
  param: 'strings',
  params: 'params',
  require: 'strings',
  /** `{"heartbeatIntervalMs": 30000}`, or the command line's `name=ms,…` strings. */
  timers: 'timers',
  /** A PEM file, relative to the config file's folder. */
  ca: 'string',
  insecure: 'boolean',
  header: 'strings',
  /** `{"X-Api-Key": "…"}`: the same as `header` entries. */
  headers: 'params',
  binding: 'string',
  timeoutScale: 'number',
  maxWaitMs: 'number',
  quickHeartbeat: 'boolean',
  concurrency: 'number',
  repeat: 'number',
  strict: 'boolean',
  /** A baseline file (string) or the IDs themselves (array). */
  expectedFailures: 'fileOrIds',
  reporter: 'strings',
  verbose: 'boolean',
  docsBase: 'string',
};

export interface CliSettings {
  help: boolean;
  version: boolean;
  list: boolean;
  verbose: boolean;
  docsBase?: string;
  reporters: ReporterTarget<ReporterName>[];
  run: RunOptions;
}

type ConfigValues = Partial<Record<string, unknown>>;

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: true,
    tokens: true,
    allowPositionals: false,
  });
}

export function parseCli(
  argv: readonly string[],
  where: { cwd: string; env: NodeJS.ProcessEnv },
): CliSettings {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    // parseArgs explains at length how to pass positionals; the first sentence is the mistake.
    const first = (error as Error).message.split('. ')[0].replace(/\.$/, '');
    throw new RunnerError(
      `${withOptionSuggestion(first, [...Object.keys(OPTIONS), 'client-mode'])} (see --help)`,
    );
  }
  const cli = parsed.values;
  const base: CliSettings = {
    help: cli.help ?? false,
    version: cli.version ?? false,
    list: cli.list ?? false,
    verbose: false,
    reporters: [],
    run: {},
  };
  if (base.help || base.version) return base;

  const { values: config, dir: configDir } = loadConfig(cli.config, where.cwd);
  const fromConfig = (file: string) => path.resolve(configDir, file);
  const fromCwd = (file: string) => path.resolve(where.cwd, file);

  const urls = cli.url ?? (config.url as string[] | undefined);
  const run: RunOptions = {
    ...(urls?.length === 1 ? { url: urls[0] } : urls !== undefined ? { urls } : {}),
    only: cli.only ?? (config.only as string[] | undefined),
    skip: cli.skip ?? (config.skip as string[] | undefined),
    token: cli.token ?? (config.token as string | undefined) ?? nonEmpty(where.env.TIDEWIRE_TOKEN),
    tokenSecret:
      cli['token-secret'] ??
      (config.tokenSecret as string | undefined) ??
      nonEmpty(where.env.TIDEWIRE_TOKEN_SECRET),
    user: cli.user ?? (config.user as string | undefined),
    params: {
      ...(config.params as Record<string, string> | undefined),
      ...parseParams((config.param as string[] | undefined) ?? [], 'param in the config file'),
      ...parseParams(cli.param ?? [], '--param'),
    },
    require: parseFamilies(cli.require ?? (config.require as string[] | undefined)),
    timers: {
      ...(config.timers as GivenTimers | undefined),
      ...parseTimers(cli.timers ?? [], '--timers'),
    },
    headers: {
      ...(config.headers as Record<string, string> | undefined),
      ...parseHeaders((config.header as string[] | undefined) ?? [], 'header in the config file'),
      ...parseHeaders(cli.header ?? [], '--header'),
    },
    insecure: cli.insecure ?? (config.insecure as boolean | undefined),
    binding: parseBinding(cli.binding ?? (config.binding as string | undefined)),
    timeoutScale: numberOption(cli['timeout-scale'], config.timeoutScale, '--timeout-scale', false),
    maxWaitMs: numberOption(cli['max-wait-ms'], config.maxWaitMs, '--max-wait-ms', false),
    concurrency: numberOption(cli.concurrency, config.concurrency, '--concurrency', true),
    repeat: numberOption(cli.repeat, config.repeat, '--repeat', true),
    strict: cli.strict ?? (config.strict as boolean | undefined) ?? false,
    quickHeartbeat: cli['quick-heartbeat'] ?? (config.quickHeartbeat as boolean | undefined),
  };
  if (cli.ca !== undefined) run.ca = readCertificates(fromCwd(cli.ca));
  else if (typeof config.ca === 'string') run.ca = readCertificates(fromConfig(config.ca));
  if (cli['expected-failures'] !== undefined) {
    run.expectedFailures = readBaseline(fromCwd(cli['expected-failures']));
  } else if (typeof config.expectedFailures === 'string') {
    run.expectedFailures = readBaseline(fromConfig(config.expectedFailures));
  } else if (config.expectedFailures !== undefined) {
    run.expectedFailures = config.expectedFailures as string[];
  }
  for (const key of Object.keys(run) as Array<keyof RunOptions>) if (run[key] === undefined) delete run[key];

  return {
    ...base,
    verbose: cli.verbose ?? (config.verbose as boolean | undefined) ?? false,
    docsBase: cli['docs-base'] ?? (config.docsBase as string | undefined),
    reporters: resolveReporters(
      REPORTER_NAMES,
      parsed.tokens ?? [],
      (config.reporter as string[] | undefined) ?? [],
      fromCwd,
      fromConfig,
    ),
    run,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function loadConfig(explicit: string | undefined, cwd: string): { values: ConfigValues; dir: string } {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : path.resolve(cwd, DEFAULT_CONFIG_FILE);
  if (explicit === undefined && !fs.existsSync(file)) return { values: {}, dir: cwd };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunnerError(
      `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunnerError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RunnerError(`config file ${file} must hold a JSON object`);
  }
  const values: ConfigValues = {};
  for (const [rawKey, value] of Object.entries(json)) {
    const key = rawKey.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const kind = CONFIG_KEYS[key];
    if (kind === undefined) {
      const hint = didYouMean(closest(key, Object.keys(CONFIG_KEYS)));
      throw new RunnerError(`config file ${file}: unknown option "${rawKey}"${hint}`);
    }
    values[key] = configValue(file, rawKey, kind, value);
  }
  return { values, dir: path.dirname(file) };
}

function configValue(file: string, key: string, kind: (typeof CONFIG_KEYS)[string], value: unknown): unknown {
  const wrong = (what: string) => new RunnerError(`config file ${file}: "${key}" must be ${what}`);
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw wrong('a string');
      return value;
    case 'number':
      if (typeof value !== 'number') throw wrong('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return value;
    case 'strings':
      if (typeof value === 'string') return [value];
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        throw wrong('a string or strings');
      return value;
    case 'fileOrIds':
      if (typeof value === 'string') return value;
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw wrong('a file name or an array of requirement IDs');
      }
      return value;
    case 'timers':
      if (typeof value === 'string') return parseTimers([value], `"${key}" in ${file}`);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw wrong('an object of timers in ms, or a string name=ms,…');
      }
      return parseTimers(
        Object.entries(value).map(([name, ms]) => `${name}=${String(ms)}`),
        `"${key}" in ${file}`,
      );
    case 'params':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrong('an object');
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => {
          if (typeof v !== 'string' && typeof v !== 'number') throw wrong('an object of strings');
          return [k, String(v)];
        }),
      );
  }
}

function parseParams(entries: readonly string[], source: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new RunnerError(`${source} must look like key=value, got "${entry}"`);
    params[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return params;
}

/** `--timers heartbeatIntervalMs=30000,heartbeatTimeoutMs=10000` (repeatable). */
function parseTimers(entries: readonly string[], source: string): GivenTimers {
  const timers: GivenTimers = {};
  for (const entry of splitList(entries)) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new RunnerError(`${source} must look like name=ms, got "${entry}"`);
    const raw = entry.slice(0, at).trim();
    const name = TIMER_NAMES.find((n) => n.toLowerCase() === raw.toLowerCase());
    if (name === undefined) {
      throw new RunnerError(`${source}: unknown timer "${raw}" (expected ${TIMER_NAMES.join(', ')})`);
    }
    const text = entry.slice(at + 1).trim();
    const value = Number(text === '' ? Number.NaN : text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new RunnerError(`${source}: ${name} must be a positive number of ms, got "${text}"`);
    }
    timers[name as TimerName] = value;
  }
  return timers;
}

/** `--header 'Name: value'` (repeatable). */
function parseHeaders(entries: readonly string[], source: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf(':');
    const name = at < 0 ? '' : entry.slice(0, at).trim();
    if (name === '') throw new RunnerError(`${source} must look like 'Name: value', got "${entry}"`);
    headers[name] = entry.slice(at + 1).trim();
  }
  return headers;
}

function parseBinding(value: string | undefined): Binding | undefined {
  if (value === undefined) return undefined;
  if (!(BINDINGS as readonly string[]).includes(value)) {
    throw new RunnerError(`--binding: unknown binding "${value}" (expected ${BINDINGS.join(' or ')})`);
  }
  return value as Binding;
}

/** The PEM certificates of `--ca FILE`. */
function readCertificates(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunnerError(
      `cannot read --ca file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new RunnerError(`--ca file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}

function parseFamilies(values: readonly string[] | undefined): Family[] | undefined {
  if (values === undefined) return undefined;
  return splitList(values).map((value) => {
    const family = value.toLowerCase();
    if (!(FAMILIES as readonly string[]).includes(family)) {
      throw new RunnerError(`--require: unknown family "${value}" (expected ${FAMILIES.join(', ')})`);
    }
    return family as Family;
  });
}

function numberOption(
  cli: string | undefined,
  config: unknown,
  flag: string,
  integer: boolean,
): number | undefined {
  if (cli === undefined && config === undefined) return undefined;
  const value = cli !== undefined ? Number(cli.trim() === '' ? Number.NaN : cli) : (config as number);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RunnerError(
      `${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${cli ?? String(config)}"`,
    );
  }
  return value;
}

/** A baseline file: one requirement ID per line; `#` starts a comment. */
export function readBaseline(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunnerError(
      `cannot read expected-failures file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
}
