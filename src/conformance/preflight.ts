/**
 * Diagnosis before the checks. Per endpoint family (on `/ws/campaigns`, `/ws/conversations/`,
 * `/api/monitoring/ws`): reachability and TLS, the HTTP answer to the upgrade, `connection_established`
 * and whether the run's token is accepted; for the target, whether it speaks Socket.IO (an Engine.IO v4 open
 * packet at `/socket.io/?EIO=4&transport=polling`); for a family that does not speak tidewire.v1, which
 * source system's dialect it speaks.
 *
 * A setup problem ends the run here with a RunnerError of one actionable line (exit 2): nothing listening,
 * TLS mismatched or untrusted, no WebSocket endpoint at all, the run's own token refused everywhere, a
 * Socket.IO server when the WebSocket binding is checked. A protocol-level problem (no
 * `connection_established`, an endpoint whose upgrade is broken, the token refused on some families) is a
 * root cause: reported once, with the checks it blocks.
 */
import { AUTH_REQUIRED, CloseCode } from '../protocol/constants.js';
import { endpoint as endpointSpec, FAMILIES, type EndpointName, type Family } from '../protocol/endpoints.js';
import { establishedProblems } from './checks/handshake.js';
import { CheckFailure } from './check-failure.js';
import { CheckRunContext, type RunEnvironment } from './check-context.js';
import { recogniseDialect } from './dialect.js';
import { ENGINE_IO_PATH, probeEngineIo, type EngineIoAnswer } from './engine-io-probe.js';
import { CONNECT_TIMEOUT_MS, describeClose, Probe } from './probe.js';
import { buildProbeRequest } from './probe-request.js';
import { assertReachable, speaksTls, withScheme } from './reachability.js';
import { RunnerError } from './runner-error.js';
import { Transcript } from './transcript.js';
import type {
  AdvertisedTimers,
  Binding,
  Diagnosis,
  DialectFinding,
  FamilyDiagnosis,
  ReceivedMessage,
  TargetTransport,
} from './types.js';

/** The endpoint the preflight (and family discovery) probes in each family. */
export const DISCOVERY_ENDPOINTS: Readonly<Record<Family, EndpointName>> = {
  campaign: 'campaigns',
  chat: 'conversations',
  market: 'monitoring',
};

/** How long the preflight waits for `connection_established` after a refusal notice, and for a reply. */
const REPLY_WAIT_MS = 2_000;

/** How long the Engine.IO probe may take beyond the WebSocket probes when those found endpoints. */
const ENGINE_IO_GRACE_MS = 500;

/** The families a Socket.IO target is checked as: the binding carries source 002's chat namespaces. */
const SOCKET_IO_FAMILIES: readonly Family[] = ['chat'];

export interface PreflightInput extends Pick<
  RunEnvironment,
  'targetUrl' | 'timeoutScale' | 'params' | 'tokens' | 'schemas' | 'violations' | 'target'
> {
  /** Timers for the preflight's own waits (it has seen no `connection_established` yet). */
  fallbackTimers: AdvertisedTimers;
  transport: TargetTransport;
  /** The option the run's token comes from, for advice when the server refuses it. */
  tokenOrigin: 'token' | 'token-secret' | undefined;
  /** `--binding`; undefined: detect. */
  binding: Binding | undefined;
  /** Bindings of the checks selected for the run. */
  checkBindings: ReadonlySet<Binding>;
  signal: AbortSignal;
}

/** A precondition judged by one check, which other checks' connections depend on. */
export interface Blocker {
  checkId: string;
  message: string;
}

/** What checks wait for on each family, and the root cause that blocks them when it is missing. */
export interface FamilyBlockers {
  /** The upgrade fails on the family's endpoints (HS-001). */
  upgrade?: Blocker;
  /** No `connection_established` on the family's endpoints (HS-002). */
  established?: Blocker;
  /** The run's token is refused on the family's endpoints (AUTH-006, or AUTH-004 in the header). */
  token?: Blocker;
}

export interface Preflight {
  diagnosis: Diagnosis;
  /** Families the checks run on. */
  families: Family[];
  /** The first `connection_established` received (a complete one preferred), for the timers. */
  established: Record<string, unknown> | undefined;
  /** Where checks put the token when they do not say (the query, unless the server refuses it there). */
  tokenVia: 'query' | 'header';
  blockers: ReadonlyMap<Family, FamilyBlockers>;
  /** Root causes found, in order (blocked counts come from the results). */
  rootCauses: Blocker[];
  notes: string[];
}

/** How one family answered one probe. */
interface FamilyAnswer {
  family: Family;
  path: string;
  upgrade: FamilyDiagnosis['upgrade'];
  detail: string;
  protocol: string;
  first: ReceivedMessage | undefined;
  established: Record<string, unknown> | undefined;
  /** The connection was refused for its token: `authentication_error` or close 4001. */
  tokenRefusal: string | undefined;
  /** What came instead of `connection_established` ("sent … first", "nothing within 5000 ms", a close). */
  instead?: string;
}

export async function preflight(input: PreflightInput): Promise<Preflight> {
  const url = new URL(input.targetUrl);
  const waitMs = CONNECT_TIMEOUT_MS * input.timeoutScale;
  await assertReachable(url, waitMs, input.transport);

  const engineIo = probeEngineIo(input.targetUrl, input.transport, waitMs);
  const transcript = new Transcript();
  const context = new CheckRunContext(
    {
      ...input,
      timers: input.fallbackTimers,
      families: FAMILIES,
      defaultTokenVia: 'query',
      blockers: new Map(),
    },
    { checkId: 'discovery', iteration: 0 },
    transcript,
    input.signal,
  );
  const token = await input.tokens.tokenFor();
  const ask = (family: Family, tokenVia: 'query' | 'header') =>
    askFamily(input, context, family, tokenVia, token, waitMs);

  // Checking only Socket.IO, the WebSocket endpoints matter only to explain a target that lacks it.
  const skipWebSocket = input.binding === 'socket.io' && (await engineIo).found;
  let answers = skipWebSocket ? [] : await Promise.all(FAMILIES.map((f) => ask(f, 'query')));
  const notes: string[] = [];
  let tokenVia: 'query' | 'header' = 'query';
  // A server may refuse tokens in the URL (they get logged): then the run presents its token in the
  // Authorization header, and only the check of the query form (AUTH-006) uses the query.
  if (token !== undefined && answers.some((a) => a.tokenRefusal !== undefined)) {
    const retried = await Promise.all(
      answers.map((a) => (a.tokenRefusal !== undefined ? ask(a.family, 'header') : Promise.resolve(a))),
    );
    if (retried.some((a) => a.tokenRefusal === undefined && a.established !== undefined)) {
      tokenVia = 'header';
      answers = retried;
      notes.push(
        'the token was refused in the query but accepted in the Authorization header; checks present it there',
      );
    }
  }

  const offered = answers.filter((a) => a.upgrade === 'offered');
  // With WebSocket endpoints found, Socket.IO is only a second binding: a server that never answers a
  // plain GET (a bare upgrade handler) does not hold the run up for the whole wait.
  const sio =
    offered.length > 0 && input.binding === undefined
      ? await answeredWithin(engineIo, ENGINE_IO_GRACE_MS * input.timeoutScale)
      : await engineIo;
  const bindings = chooseBindings(input, url, sio, offered.length > 0);
  if (bindings.includes('websocket') && offered.length === 0) {
    throw new RunnerError(await noWebSocketEndpoint(url, answers, waitMs));
  }
  if (!bindings.includes('websocket')) {
    notes.push(
      skipWebSocket
        ? 'the Socket.IO binding is checked (--binding socket.io)'
        : `the Socket.IO binding is checked: ${input.targetUrl} serves no Tidewire WebSocket endpoint`,
    );
    return socketIoOnly(sio, answers, notes);
  }
  assertTokenAccepted(input, offered);

  const blockers = new Map<Family, FamilyBlockers>();
  const rootCauses: Blocker[] = [];
  /** Registers a blocker; a root cause is listed even before it blocks anything, unless it is advice. */
  const block = (family: Family, kind: keyof FamilyBlockers, cause: Blocker, listed = true) => {
    blockers.set(family, { ...blockers.get(family), [kind]: cause });
    if (listed && !rootCauses.some((c) => c.checkId === cause.checkId && c.message === cause.message)) {
      rootCauses.push(cause);
    }
  };
  const present = answers.filter((a) => a.upgrade !== 'absent');
  for (const answer of present.filter((a) => a.upgrade !== 'offered')) {
    block(answer.family, 'upgrade', {
      checkId: 'HS-001',
      message: `the upgrade on ${answer.path} fails (${answer.detail})`,
    });
  }
  const withoutEstablished = offered.filter(
    (a) => a.established === undefined && a.tokenRefusal === undefined,
  );
  const instead = (answers: FamilyAnswer[]) => answers.map((a) => `${a.path}: ${a.instead}`).join('; ');
  for (const answer of withoutEstablished) {
    const message =
      withoutEstablished.length === offered.length
        ? `no connection_established on any endpoint (${instead(withoutEstablished)})`
        : `no connection_established on the ${answer.family} endpoints (${instead([answer])})`;
    block(answer.family, 'established', { checkId: 'HS-002', message });
  }
  for (const answer of offered.filter((a) => a.tokenRefusal !== undefined)) {
    // Without a token, a refusal is the server asking for one (AUTH-007's subject), not a fault: it is
    // listed only if it blocks a check.
    block(
      answer.family,
      'token',
      token === undefined
        ? {
            checkId: 'AUTH-007',
            message: `${answer.path} refuses connections without a token (${answer.tokenRefusal}): give --token, or --token-secret to mint tokens`,
          }
        : {
            checkId: tokenVia === 'header' ? 'AUTH-004' : 'AUTH-006',
            message: `the run's token is refused on ${answer.path} (${answer.tokenRefusal})`,
          },
      token !== undefined,
    );
  }

  const dialects = await recogniseDialects(input, context, answers, token, waitMs);
  const diagnosis: Diagnosis = {
    bindings,
    ...(sio.found ? { engineIo: sio.open } : {}),
    families: answers.map((a) => familyDiagnosis(a, token !== undefined)),
    dialects,
  };
  if (sio.found && !bindings.includes('socket.io')) {
    notes.push(
      `the server also speaks Socket.IO (${ENGINE_IO_PATH}); --binding socket.io checks that binding`,
    );
  }
  const established =
    offered.find((a) => a.established !== undefined && establishedProblems(a.established).length === 0)
      ?.established ?? offered.find((a) => a.established !== undefined)?.established;
  if (established !== undefined && established.auth === undefined) {
    notes.push('the server does not advertise its auth mode');
  }
  context.dispose();
  return {
    diagnosis,
    families: present.map((a) => a.family),
    established,
    tokenVia,
    blockers,
    rootCauses,
    notes,
  };
}

/** Opens the family's discovery endpoint and reads its first message. */
async function askFamily(
  input: PreflightInput,
  context: CheckRunContext,
  family: Family,
  tokenVia: 'query' | 'header',
  token: string | undefined,
  waitMs: number,
): Promise<FamilyAnswer> {
  const name = DISCOVERY_ENDPOINTS[family];
  const path = endpointSpec(name).path;
  const request = buildProbeRequest(
    input.targetUrl,
    name,
    input.params,
    { tokenVia },
    token,
    input.transport,
  );
  const probe = new Probe(context, request);
  const answer: FamilyAnswer = {
    family,
    path,
    upgrade: 'offered',
    detail: 'HTTP 101',
    protocol: '',
    first: undefined,
    established: undefined,
    tokenRefusal: undefined,
  };
  try {
    let status: number;
    try {
      status = (await probe.handshake).status;
    } catch (error) {
      return { ...answer, upgrade: 'failed', detail: (error as CheckFailure).actual ?? String(error) };
    }
    if (status === 404) return { ...answer, upgrade: 'absent', detail: 'HTTP 404' };
    if (status !== 101) return { ...answer, upgrade: 'refused', detail: `HTTP ${status}` };
    answer.protocol = probe.protocol;
    try {
      answer.first = await probe.nextWithin(() => true, waitMs, `a first message on ${path}`);
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      answer.instead = error.actual ?? error.message;
      answer.detail = `HTTP 101, then ${answer.instead}`;
    }
    if (answer.first?.type === 'connection_established') {
      answer.established = answer.first.json;
    } else if (
      answer.first?.type === 'authentication_error' ||
      probe.closeDetails?.code === CloseCode.UNAUTHORIZED
    ) {
      const close = await probe
        .closedWithin(REPLY_WAIT_MS * input.timeoutScale, 'the close')
        .catch(() => undefined);
      const notice = answer.first?.json;
      answer.tokenRefusal =
        close !== undefined && close.reason !== ''
          ? describeClose(close)
          : typeof notice?.message === 'string'
            ? `authentication_error ${JSON.stringify(notice.message)}`
            : close !== undefined
              ? describeClose(close)
              : `authentication_error ${AUTH_REQUIRED}`;
    } else if (answer.first !== undefined) {
      const { type, text } = answer.first;
      answer.instead = `sent ${type ?? JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} first`;
      answer.detail = `HTTP 101, then ${answer.instead}`;
    }
    return answer;
  } finally {
    probe.dispose();
  }
}

/** The Engine.IO answer if it comes within `ms`, else "no answer". */
function answeredWithin(answer: Promise<EngineIoAnswer>, ms: number): Promise<EngineIoAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<EngineIoAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ found: false, detail: `no answer within ${Math.round(ms)} ms` }), ms);
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** The bindings this run checks, or the setup error of a binding the server does not speak. */
function chooseBindings(input: PreflightInput, url: URL, sio: EngineIoAnswer, webSocket: boolean): Binding[] {
  const where = `${url.host}`;
  const found = sio.found ? `a Socket.IO server (Engine.IO 4 at ${ENGINE_IO_PATH}) at ${where}` : '';
  if (input.binding === 'socket.io') {
    if (!sio.found) {
      throw new RunnerError(
        `no Socket.IO server at ${where}: ${ENGINE_IO_PATH}?EIO=4&transport=polling answered ${sio.detail}${webSocket ? '; it serves the WebSocket binding (--binding websocket)' : ''}`,
      );
    }
    return ['socket.io'];
  }
  if (input.binding === 'websocket' || webSocket) {
    if (!webSocket && sio.found) {
      throw new RunnerError(
        `found ${found} and no Tidewire WebSocket endpoint; check it with --binding socket.io`,
      );
    }
    return webSocket && sio.found && input.binding === undefined ? ['websocket', 'socket.io'] : ['websocket'];
  }
  if (sio.found) {
    if (!input.checkBindings.has('socket.io')) {
      throw new RunnerError(
        `found ${found} and no Tidewire WebSocket endpoint, but this run selects no Socket.IO checks (--binding socket.io runs them)`,
      );
    }
    return ['socket.io'];
  }
  return ['websocket'];
}

/** The one line for a target where no family accepts a WebSocket upgrade. */
async function noWebSocketEndpoint(url: URL, answers: FamilyAnswer[], waitMs: number): Promise<string> {
  const paths = answers.map((a) => a.path).join(', ');
  if (answers.every((a) => a.upgrade === 'absent')) {
    return `no Tidewire endpoint at ${url}: ${paths} all answered HTTP 404`;
  }
  if (
    answers.every((a) => a.upgrade === 'failed') &&
    url.protocol === 'ws:' &&
    (await speaksTls(url, waitMs))
  ) {
    return `${url.host} speaks TLS: use ${withScheme(url, 'wss:')}`;
  }
  const answered = [...new Set(answers.map((a) => a.detail))];
  const what = answered.length === 1 ? answered[0] : answers.map((a) => `${a.path}: ${a.detail}`).join('; ');
  const plainHttp = answers.some((a) => a.upgrade === 'refused' && /^HTTP 2\d\d$/.test(a.detail));
  return `no WebSocket endpoint at ${url}: the upgrade on ${paths} got ${what}${plainHttp ? ' (a plain HTTP server?)' : ''}`;
}

/** Ends the run when the server refuses the run's token (or its lack of one) on every family. */
function assertTokenAccepted(input: PreflightInput, offered: FamilyAnswer[]): void {
  const refused = offered.filter((a) => a.tokenRefusal !== undefined);
  if (refused.length === 0 || refused.length < offered.length) return;
  const why = refused[0].tokenRefusal;
  switch (input.tokenOrigin) {
    case 'token-secret':
      throw new RunnerError(
        `the server refused the tokens minted with --token-secret on every endpoint (${why}): check the secret (--token-secret or TIDEWIRE_TOKEN_SECRET)`,
      );
    case 'token':
      throw new RunnerError(
        `the server refused the token given with --token on every endpoint (${why}): check --token (or TIDEWIRE_TOKEN)`,
      );
    default:
      throw new RunnerError(
        `the server refuses connections without a token on every endpoint (${why}): give --token, or --token-secret to mint tokens`,
      );
  }
}

/** A target that speaks only Socket.IO: its checks run on the chat family, nothing is blocked. */
function socketIoOnly(sio: EngineIoAnswer, answers: FamilyAnswer[], notes: string[]): Preflight {
  return {
    diagnosis: {
      bindings: ['socket.io'],
      ...(sio.found ? { engineIo: sio.open } : {}),
      families: answers.map((a) => familyDiagnosis(a, false)),
      dialects: [],
    },
    families: [...SOCKET_IO_FAMILIES],
    established: undefined,
    tokenVia: 'query',
    blockers: new Map(),
    rootCauses: [],
    notes,
  };
}

/**
 * The dialect of each family without a complete `connection_established`. On the market family the
 * preflight also sends `{"action":"get_all"}` to /ws/market_data, the request form source 004 used.
 */
async function recogniseDialects(
  input: PreflightInput,
  context: CheckRunContext,
  answers: FamilyAnswer[],
  token: string | undefined,
  waitMs: number,
): Promise<DialectFinding[]> {
  const found: DialectFinding[] = [];
  for (const answer of answers) {
    if (answer.upgrade !== 'offered' || answer.tokenRefusal !== undefined) continue;
    if (answer.established !== undefined && establishedProblems(answer.established).length === 0) continue;
    const actionReply =
      answer.family === 'market' && answer.established === undefined
        ? await askForAll(input, context, token, waitMs)
        : undefined;
    const dialect = recogniseDialect({
      family: answer.family,
      protocol: answer.protocol,
      first: answer.first,
      actionReply,
    });
    if (dialect) found.push(dialect);
  }
  return found;
}

/** Sends `{"action":"get_all"}` on /ws/market_data and returns the first price message that answers it. */
async function askForAll(
  input: PreflightInput,
  context: CheckRunContext,
  token: string | undefined,
  waitMs: number,
): Promise<ReceivedMessage | undefined> {
  const request = buildProbeRequest(input.targetUrl, 'market_data', input.params, {}, token, input.transport);
  const probe = new Probe(context, request);
  try {
    if ((await probe.handshake).status !== 101) return undefined;
    probe.send({ action: 'get_all' });
    return await probe.nextWithin(
      (m) => m.type === 'price_update' || m.type === 'prices_snapshot',
      Math.min(waitMs, REPLY_WAIT_MS * input.timeoutScale),
      'prices after {"action":"get_all"}',
    );
  } catch {
    return undefined;
  } finally {
    probe.dispose();
  }
}

function familyDiagnosis(answer: FamilyAnswer, tokenPresented: boolean): FamilyDiagnosis {
  const established =
    answer.upgrade !== 'offered'
      ? undefined
      : answer.established === undefined
        ? 'absent'
        : establishedProblems(answer.established).length === 0
          ? 'present'
          : 'incomplete';
  return {
    family: answer.family,
    path: answer.path,
    upgrade: answer.upgrade,
    detail: answer.tokenRefusal !== undefined ? `HTTP 101, then ${answer.tokenRefusal}` : answer.detail,
    ...(established !== undefined && answer.tokenRefusal === undefined ? { established } : {}),
    ...(tokenPresented && answer.upgrade === 'offered'
      ? { tokenAccepted: answer.tokenRefusal === undefined }
      : {}),
  };
}
