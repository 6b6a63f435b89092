/**
 * What the runner knows about the source systems' dialects (docs/protocol.md, section 15.6), for a
 * preflight that meets a server speaking only one of them (an original campaign sender, Pilito or market
 * data service): from what one endpoint did on a connection that offered `tidewire.v1`, it recognises the
 * dialect and lists what the server lacks for `tidewire.v1`, so the report can say so in its first lines
 * instead of listing every check as failed.
 *
 * - `observeEndpoint` opens a connection offering `tidewire.v1` (again without it when the upgrade is
 *   refused for the subprotocol) and records what comes within a short window;
 * - `diagnoseEndpoint` judges one observation (pure);
 * - `sourceDialectLines` turns the diagnoses of a run into the report's first lines (none when the server
 *   speaks `tidewire.v1`, or speaks nothing recognisable).
 */
import WebSocket from 'ws';
import { SUBPROTOCOL } from '../protocol/constants.js';
import { dialect, DIALECTS, dialectServerTypes, type DialectName } from '../protocol/dialects.js';
import { endpoint, type EndpointName } from '../protocol/endpoints.js';
import { endpointUrl } from './probe-request.js';

/** What one endpoint did on one connection. */
export interface DialectObservation {
  endpoint: EndpointName;
  /** The subprotocols the connection offered. */
  offered: string[];
  /** The subprotocol the server selected ('' for none). */
  selected: string;
  /** Text frames received within the window, in order. */
  frames: string[];
  /** Why an upgrade that offered `tidewire.v1` failed first (e.g. "Server sent no subprotocol"). */
  refusedTidewire?: string;
  /** How the connection ended within the window, if it did (`close 4001`). */
  ended?: string;
}

export interface DialectDiagnosis {
  endpoint: EndpointName;
  /** True when the endpoint spoke `tidewire.v1`: it selected it and sent `connection_established` first. */
  speaksTidewire: boolean;
  /** The source dialect recognised, when the endpoint did not speak `tidewire.v1`. */
  dialect?: DialectName;
  /** What the endpoint lacks for `tidewire.v1`, each with the requirement ID it breaks. */
  missing: string[];
}

/** Fields of `connection_established` that carry the session and the timers (HS-002). */
const ESTABLISHED_FIELDS = [
  'sessionId',
  'protocolVersion',
  'heartbeatIntervalMs',
  'heartbeatTimeoutMs',
  'resumeWindowMs',
  'maxMessageBytes',
  'rateLimit',
] as const;

/** How long `observeEndpoint` listens by default: long enough for a source's first message. */
export const OBSERVATION_WINDOW_MS = 2_000;

interface Parsed {
  text: string;
  json: Record<string, unknown> | undefined;
  type: string | undefined;
}

function parse(text: string): Parsed {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const json = value as Record<string, unknown>;
      return { text, json, type: typeof json.type === 'string' ? json.type : undefined };
    }
  } catch {
    // a bare text frame such as source 001's `ping`
  }
  return { text, json: undefined, type: undefined };
}

/** Judges one observation: does the endpoint speak `tidewire.v1`, or which source dialect, and what is missing. */
export function diagnoseEndpoint(observation: DialectObservation): DialectDiagnosis {
  const frames = observation.frames.map(parse);
  const first = frames.find((frame) => frame.json !== undefined);
  const established = first?.type === 'connection_established' ? first.json : undefined;
  const missing: string[] = [];
  const noSelection = 'it selects no subprotocol when a client offers tidewire.v1 (HS-003)';
  if (observation.refusedTidewire !== undefined) {
    missing.push(
      /no subprotocol/i.test(observation.refusedTidewire)
        ? noSelection
        : `its upgrade fails when a client offers tidewire.v1 (${observation.refusedTidewire}; HS-003)`,
    );
  } else if (observation.offered.includes(SUBPROTOCOL) && observation.selected !== SUBPROTOCOL) {
    missing.push(noSelection);
  }
  const absent = ESTABLISHED_FIELDS.filter((field) => established?.[field] === undefined);
  if (established === undefined) {
    missing.push('its first message is not connection_established (HS-002)');
  } else if (absent.length > 0) {
    missing.push(`its connection_established lacks ${absent.join(', ')} (HS-002)`);
  }
  const spec = endpoint(observation.endpoint);
  const data = frames.filter((frame) => frame.type !== undefined && spec.serverData.includes(frame.type));
  if (data.some((frame) => frame.json?.seq === undefined))
    missing.push('its data messages carry no seq (ENV-004)');
  if (frames.some((frame) => frame.json !== undefined && frame.json.timestamp === undefined)) {
    missing.push('some messages carry no top-level timestamp (ENV-003)');
  }
  const speaksTidewire = missing.length === 0 && established !== undefined;
  if (speaksTidewire) return { endpoint: observation.endpoint, speaksTidewire, missing };
  return { endpoint: observation.endpoint, speaksTidewire, dialect: recognise(observation, frames), missing };
}

/** The endpoint's source dialect, when what it sent fits it and includes something only that source sends. */
function recognise(observation: DialectObservation, frames: Parsed[]): DialectName | undefined {
  const spoken = DIALECTS.find((d) => d.serverTypes[observation.endpoint] !== undefined);
  if (!spoken) return undefined;
  const types = dialectServerTypes(spoken, observation.endpoint);
  const fits = frames.every((frame) =>
    frame.type !== undefined ? types.includes(frame.type) : spoken.textFrames.includes(frame.text),
  );
  const telling = frames.some((frame) =>
    frame.type !== undefined ? types.includes(frame.type) : spoken.textFrames.includes(frame.text),
  );
  const refusedLikeIt = observation.ended === 'close 4001' && spoken.name === 'pilito';
  return fits && (telling || refusedLikeIt) ? spoken.name : undefined;
}

/**
 * The report's first lines about source dialects: none when some endpoint speaks `tidewire.v1` or none
 * was recognised; otherwise which dialect each endpoint speaks and what it lacks for `tidewire.v1`.
 */
export function sourceDialectLines(diagnoses: readonly DialectDiagnosis[]): string[] {
  if (diagnoses.some((d) => d.speaksTidewire)) return [];
  const recognised = diagnoses.filter((d) => d.dialect !== undefined);
  if (recognised.length === 0) return [];
  const names = [...new Set(recognised.map((d) => d.dialect!))];
  const systems = names.map((name) => `${name} (source ${dialect(name).source})`).join(', ');
  return [
    `This server speaks the source dialect of ${systems}, not tidewire.v1 (docs/protocol.md, section 15.6). What it lacks for tidewire.v1:`,
    ...recognised.map((d) => `${endpoint(d.endpoint).path}: ${d.missing.join('; ')}.`),
  ];
}

/**
 * Connects to one endpoint offering `tidewire.v1` and records what arrives within `windowMs`; when the
 * upgrade fails because the server selected no subprotocol, it tries again offering none, as the
 * source's own clients do.
 */
export async function observeEndpoint(
  targetUrl: string,
  name: EndpointName,
  options: { query?: Record<string, string>; token?: string; windowMs?: number } = {},
): Promise<DialectObservation> {
  const url = endpointUrl(targetUrl, name);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  if (options.token !== undefined) url.searchParams.set('token', options.token);
  const windowMs = options.windowMs ?? OBSERVATION_WINDOW_MS;
  const first = await listen(url.toString(), [SUBPROTOCOL], windowMs);
  if (first.error === undefined) return { endpoint: name, offered: [SUBPROTOCOL], ...first.seen };
  if (!/subprotocol/i.test(first.error)) {
    return { endpoint: name, offered: [SUBPROTOCOL], refusedTidewire: first.error, ...first.seen };
  }
  const again = await listen(url.toString(), [], windowMs);
  return { endpoint: name, offered: [], refusedTidewire: first.error, ...again.seen };
}

async function listen(
  url: string,
  protocols: string[],
  windowMs: number,
): Promise<{ error?: string; seen: { selected: string; frames: string[]; ended?: string } }> {
  return new Promise((resolve) => {
    const frames: string[] = [];
    const ws = new WebSocket(url, protocols);
    let ended: string | undefined;
    let opened = false;
    const finish = (error?: string) => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve({ error, seen: { selected: ws.protocol, frames, ended } });
    };
    const timer = setTimeout(() => finish(opened ? undefined : `no upgrade within ${windowMs} ms`), windowMs);
    ws.on('open', () => {
      opened = true;
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) frames.push(data.toString('utf8'));
    });
    ws.on('close', (code: number) => {
      ended = `close ${code}`;
      finish();
    });
    ws.on('error', (error: Error) => {
      if (!opened) finish(error.message);
    });
  });
}
