/**
 * Sessions shared by the instances of a deployment through Redis: any instance resumes any session.
 *
 * A session lives on one instance at a time, its owner, which runs its subscriptions and writes its
 * journal. Resuming it elsewhere claims it in Redis (its epoch grows, so the old owner's writes are
 * refused from then on), tells the old owner to let go (closing its connection with 4409), replays the
 * journal from Redis, and rebuilds the session's state here: the handler follows again what the session
 * followed, from where the session was in each topic, so nothing is lost and nothing comes twice.
 */
import { endpoint, type EndpointName } from '../../protocol/endpoints.js';
import type { Clock } from '../clock.js';
import { errorMessage } from '../core/guard.js';
import type { RequestMemory } from '../core/request-memory.js';
import type { ResumeFailureReason } from '../core/policies.js';
import { Session, type BufferedMessage, type JournalEntry, type SessionSink } from '../core/session.js';
import type {
  AbsentReason,
  NewSession,
  ResumeOutcome,
  ResumeRequest,
  SessionStore,
} from '../core/session-store.js';
import type { EndpointHandler } from '../endpoint-handler.js';
import { CLUSTER_AS_SPECIFIED, type ClusterBehaviour } from './behaviour.js';
import { JournalWriter, RedisJournal, SharedRequestMemory, type JournalOwner } from './redis-journal.js';
import { RedisKeys } from './redis-keys.js';
import type { RedisLink } from './redis-link.js';
import { CLAIM, CREATE, DETACH, END, FORGET_CURSOR, LOOKUP, SAVE_STATE } from './redis-scripts.js';

export interface RedisSessionStoreOptions {
  link: RedisLink;
  instanceId: string;
  clock: Clock;
  /** How long a dropped session stays resumable; `Infinity` keeps it (a deliberate fault). */
  resumeWindowMs: number;
  /** How long a request's reply is remembered. */
  replyTtlMs: number;
  /** Data messages kept per session for replay, at most (about), and at most this many bytes of them. */
  bufferLimit: number;
  bufferBytes: number;
  /** The handlers sessions are served by (a session taken over is served by its endpoint's). */
  handlers: Readonly<Record<EndpointName, EndpointHandler>>;
  nextSeq(seq: number): number;
  remembersRequests: boolean;
  /** The memory of sessions that do not remember requests. */
  forgetfulMemory: RequestMemory;
  /** What the server puts around a session's memory of replies (a deliberate fault, or nothing). */
  decorateRequestMemory?(memory: RequestMemory): RequestMemory;
  behaviour: ClusterBehaviour;
  logger(line: string): void;
}

/**
 * How much longer than the resume window an attached session lives in Redis between two renewals: if its
 * instance dies it stays resumable at least the window, and a stalled instance does not lose it.
 */
const ATTACHED_GRACE_MS = 30_000;
/** How far before its last saved state a session taken over looks for topic messages it has not seen. */
const CURSOR_MARGIN_MS = 2_000;
/** How long an instance waits for the old owner of a live session to let it go. */
const RELEASE_WAIT_MS = 1_000;
/** How long the reason a session ended is kept, to tell `window_expired` from `unknown_session`. */
const ENDED_TRACE_MS = 3_600_000;
/** Attempts at claiming a session that other instances keep claiming at the same moment. */
const CLAIM_ATTEMPTS = 3;

interface Held extends JournalOwner {
  epoch: number;
  lost: boolean;
  holding: JournalEntry[] | undefined;
  /** Where the session was in each topic when it came here, and when its state was last saved. */
  cursors: Map<string, string>;
  stateSavedAt: number;
  saving: boolean;
}

interface Found {
  fields: Map<string, string>;
  epoch: string;
  seq: number;
  oldestSeq: number;
}

type ControlMessage =
  | { type: 'takeover'; sessionId: string; epoch: number; close: boolean; replyTo: string }
  | { type: 'released'; sessionId: string };

export class RedisSessionStore implements SessionStore {
  private readonly held = new Map<string, Held>();
  private readonly writer: JournalWriter;
  private readonly releases = new Map<string, () => void>();
  /** Handlers registered by key (Socket.IO namespaces), and the key of each. */
  private readonly namedHandlers = new Map<string, EndpointHandler>();
  private readonly handlerKeys = new Map<EndpointHandler, string>();
  private readonly touchTimer: NodeJS.Timeout;
  private publishControl: (instanceId: string, message: ControlMessage) => void = () => {};

  constructor(private readonly options: RedisSessionStoreOptions) {
    this.writer = new JournalWriter(options.link, options.bufferLimit, options.bufferBytes, (owner) =>
      this.lose(owner as Held, true),
    );
    this.touchTimer = setInterval(() => this.touch(), this.touchEveryMs);
    this.touchTimer.unref();
  }

  /** Listens on this instance's control channel (takeovers); `publish` sends on another's. */
  async listen(
    subscribe: (channel: string, listener: (message: string) => void) => Promise<void>,
    publish: (channel: string, message: string) => void,
  ): Promise<void> {
    this.publishControl = (instanceId, message) =>
      publish(RedisKeys.control(instanceId), JSON.stringify(message));
    await subscribe(RedisKeys.control(this.options.instanceId), (text) =>
      this.onControl(JSON.parse(text) as ControlMessage),
    );
  }

  get size(): number {
    return this.held.size;
  }

  registerHandler(key: string, handler: EndpointHandler): void {
    this.namedHandlers.set(key, handler);
    this.handlerKeys.set(handler, key);
  }

  /** Renewals of attached sessions' time to live come this often. */
  private get touchEveryMs(): number {
    const windowMs = Number.isFinite(this.options.resumeWindowMs) ? this.options.resumeWindowMs : 60_000;
    return Math.max(50, Math.min(Math.floor(windowMs / 3), 10_000));
  }

  /** A session's time to live while attached, renewed by its instance. */
  private get attachedTtlMs(): number {
    return this.detachedTtlMs + Math.max(2 * this.touchEveryMs, ATTACHED_GRACE_MS);
  }

  private get detachedTtlMs(): number {
    return Number.isFinite(this.options.resumeWindowMs) ? this.options.resumeWindowMs : 86_400_000;
  }

  async create(init: NewSession): Promise<Session> {
    const { link, instanceId } = this.options;
    const id = init.id;
    await link.run(
      CREATE,
      [RedisKeys.session(id), RedisKeys.log(id), RedisKeys.replies(id), RedisKeys.ended(id)],
      [
        this.attachedTtlMs,
        instanceId,
        init.spec.name,
        JSON.stringify(init.userId),
        JSON.stringify(init.params),
        init.authenticated ? '1' : '0',
        this.handlerKeys.get(init.handler) ?? '',
      ],
    );
    return this.hold(init, 1, 0, this.requestMemory(id, new Map()), new Map(), 0).session;
  }

  async resume(request: ResumeRequest): Promise<ResumeOutcome> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.lookup(request.sessionId);
      if ('reason' in found) return { ok: false, reason: found.reason };
      // Served here by another handler than its own, it would be another session: none is here.
      const handler = this.held.get(request.sessionId)?.session.handler ?? this.handlerOf(found.fields);
      if (!handler) return { ok: false, reason: 'unknown_session' };
      const verdict = request.judge({
        endpoint: found.fields.get('ep') as EndpointName,
        handler,
        params: JSON.parse(found.fields.get('params') ?? '{}') as Record<string, string>,
        userId: JSON.parse(found.fields.get('uid') ?? 'null') as string | null,
        authenticated: found.fields.get('auth') === '1',
        seq: found.seq,
        oldestSeq: found.oldestSeq,
      });
      if (!verdict.accept) return { ok: false, reason: verdict.reason };
      const outcome = await this.claim(request, found, verdict.replay);
      if (outcome) return outcome;
      if (attempt >= CLAIM_ATTEMPTS) return { ok: false, reason: 'unknown_session' };
    }
  }

  attach(session: Session, sink: SessionSink): void {
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.sink = sink;
  }

  detach(session: Session): void {
    const held = this.held.get(session.id);
    session.sink = undefined;
    if (!held || held.session !== session) return;
    // A resume that did not get as far as its connection: what waited for it is in the journal.
    held.holding = undefined;
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    this.write(DETACH, session.id, [held.epoch, this.detachedTtlMs], 'detach');
    if (!Number.isFinite(this.options.resumeWindowMs)) return;
    session.expiryTimer = this.options.clock.setTimeout(
      () => this.end(session, 'window_expired'),
      this.options.resumeWindowMs,
    );
  }

  end(session: Session, reason: AbsentReason): void {
    const held = this.held.get(session.id);
    if (!held || held.session !== session) return;
    this.held.delete(session.id);
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.sink = undefined;
    session.ended = true;
    held.lost = true;
    try {
      session.handler.close(session.context);
    } catch (error) {
      this.options.logger(`session ${session.id}: handler close failed: ${(error as Error).message}`);
    }
    this.options.link
      .run(
        END,
        [
          RedisKeys.session(session.id),
          RedisKeys.log(session.id),
          RedisKeys.replies(session.id),
          RedisKeys.ended(session.id),
        ],
        [held.epoch, reason, ENDED_TRACE_MS],
      )
      .catch((error: unknown) => this.writeFailed('end', session.id, error));
  }

  /**
   * Something failed on behalf of the session (a data message that does not serialise): it ends, and
   * its connection, if any, closes with 1011. Other sessions are not touched.
   */
  fail(session: Session, error: unknown): void {
    if (session.sink) return session.sink.fail(error);
    this.options.logger(`session ${session.id} on ${session.spec.path} failed: ${errorMessage(error)}`);
    this.end(session, 'unknown_session');
  }

  /** The instance stops: its sessions stay resumable on the others. */
  stop(): void {
    clearInterval(this.touchTimer);
    for (const held of [...this.held.values()]) {
      this.write(DETACH, held.session.id, [held.epoch, this.detachedTtlMs], 'detach');
      this.release(held);
    }
  }

  /** Redis cannot be reached: every session here is let go (clients resume them once it is back). */
  dropAll(): void {
    for (const held of [...this.held.values()]) this.release(held);
  }

  private async lookup(sessionId: string): Promise<Found | { reason: ResumeFailureReason }> {
    const reply = (await this.options.link.run(
      LOOKUP,
      [RedisKeys.session(sessionId), RedisKeys.log(sessionId), RedisKeys.ended(sessionId)],
      [],
    )) as [number, string[] | string | null, string?, string?];
    if (reply[0] === 0) {
      const reason = reply[1] as string | null;
      return { reason: reason === 'window_expired' ? 'window_expired' : 'unknown_session' };
    }
    const fields = pairs(reply[1] as string[]);
    const seq = seqOfId(reply[3] ?? '') ?? 0;
    return { fields, epoch: fields.get('epoch') ?? '', seq, oldestSeq: seqOfId(reply[2] ?? '') ?? seq + 1 };
  }

  /** Claims the session for this instance; undefined when another instance changed it meanwhile. */
  private async claim(
    request: ResumeRequest,
    found: Found,
    withReplay: boolean,
  ): Promise<ResumeOutcome | undefined> {
    const { link, instanceId } = this.options;
    const behaviour = this.behaviourFor(found.fields);
    const id = request.sessionId;
    const local = this.held.get(id);
    const keeps = local !== undefined && !local.lost && found.fields.get('owner') === instanceId;
    // A session kept here goes on producing while it is resumed: what Redis keeps meanwhile waits, to
    // follow the replay rather than go to the connection being replaced.
    if (keeps) local.holding ??= [];
    let claimed: [number, string?, string?, string?, number?, string[]?];
    try {
      claimed = (await link.run(
        CLAIM,
        [RedisKeys.session(id), RedisKeys.log(id), RedisKeys.replies(id)],
        [found.epoch, instanceId, keeps ? '1' : '0', this.attachedTtlMs, RedisKeys.instancePrefix],
      )) as typeof claimed;
    } catch (error) {
      if (keeps) this.deliverHeld(local, 0);
      throw error;
    }
    if (claimed[0] === 0) {
      if (keeps) this.deliverHeld(local, 0);
      return undefined;
    }
    const [, epochText, previousOwner, wasAttached, ownerAlive, fieldList] = claimed;
    const fields = pairs(fieldList ?? []);

    if (keeps && local) {
      // The session is here already: the resume only moves it to the new connection.
      const previous = local.session.sink;
      if (previous && previous !== request.sink && request.takesOver) previous.takeOver();
      const { replay } = await this.readJournal(id, request.lastSeq, withReplay);
      const replayedTo = replay.at(-1)?.seq ?? request.lastSeq;
      return { ok: true, session: local.session, replay, resumed: () => this.deliverHeld(local, replayedTo) };
    }

    if (local) this.release(local);
    if (
      previousOwner !== undefined &&
      previousOwner !== instanceId &&
      behaviour.notifiesHolder &&
      ownerAlive === 1
    ) {
      const close = request.takesOver || request.closesHolderElsewhere === true;
      await this.takeFrom(previousOwner, id, Number(epochText), close, wasAttached === '1');
    }
    const { replay, lastSeq } = await this.readJournal(
      id,
      request.lastSeq,
      withReplay && behaviour.replaysAcrossInstances,
    );
    const earlier = behaviour.sharesRequestMemory
      ? await SharedRequestMemory.load(link, id, this.options.clock.now())
      : new Map();
    const endpointName = fields.get('ep') as EndpointName;
    const cursors = new Map<string, string>();
    for (const [name, value] of fields) if (name.startsWith('c:')) cursors.set(name.slice(2), value);
    const held = this.hold(
      {
        id,
        spec: endpoint(endpointName),
        userId: JSON.parse(fields.get('uid') ?? 'null') as string | null,
        authenticated: fields.get('auth') === '1',
        params: JSON.parse(fields.get('params') ?? '{}') as Record<string, string>,
        // Known: `resume` asked before claiming (and every instance registers the same keys).
        handler: this.handlerOf(fields) ?? this.options.handlers[endpointName],
        bufferLimit: this.options.bufferLimit,
        bufferBytes: this.options.bufferBytes,
        clock: this.options.clock,
        nextSeq: this.options.nextSeq,
      },
      Number(epochText),
      behaviour.continuesSeq ? lastSeq : lastSeq + 1,
      this.requestMemory(id, earlier),
      cursors,
      Number(fields.get('st') ?? link.now()),
    );
    const { session } = held;
    const saved = JSON.parse(fields.get('state') ?? '{}') as unknown;
    const { context } = session;
    return {
      ok: true,
      session,
      replay,
      // Only once the replay is out: what the session follows again comes after it, from where the
      // session was in each topic (a message it had not got yet when it left its old instance).
      resumed: () => {
        context.resumeAfter = (topic) =>
          held.cursors.get(topic) ?? `${Math.max(0, held.stateSavedAt - CURSOR_MARGIN_MS)}-0`;
        try {
          session.handler.restoreState?.(context, saved);
        } finally {
          delete context.resumeAfter;
        }
      },
    };
  }

  /**
   * How a session is taken over: as the deployment behaves for a session of a WebSocket endpoint; a
   * namespace session's recovery (CLU-008) only as far as `recoversNamespaces` says, so that a deliberate
   * fault of a WebSocket rule (CLU-003 … CLU-006) breaks that rule alone.
   */
  private behaviourFor(fields: ReadonlyMap<string, string>): ClusterBehaviour {
    const { behaviour } = this.options;
    if ((fields.get('h') ?? '') === '') return behaviour;
    return { ...CLUSTER_AS_SPECIFIED, recoversNamespaces: behaviour.recoversNamespaces };
  }

  /**
   * The handler that serves a session kept in Redis: the one registered under its key, else its
   * endpoint's; undefined for a key this instance does not know.
   */
  private handlerOf(fields: ReadonlyMap<string, string>): EndpointHandler | undefined {
    const key = fields.get('h') ?? '';
    if (key === '' || !this.options.behaviour.recoversNamespaces) {
      return this.options.handlers[fields.get('ep') as EndpointName];
    }
    return this.namedHandlers.get(key);
  }

  /** The journal after `lastSeq` (when asked for) and the session's last `seq`. */
  private async readJournal(
    id: string,
    lastSeq: number,
    withReplay: boolean,
  ): Promise<{ replay: BufferedMessage[]; lastSeq: number }> {
    const { link } = this.options;
    const [entries, last] = await Promise.all([
      withReplay ? link.send(['XRANGE', RedisKeys.log(id), `${lastSeq + 1}-0`, '+']) : Promise.resolve([]),
      link.send(['XREVRANGE', RedisKeys.log(id), '+', '-', 'COUNT', '1']),
    ]);
    const replay = (entries as Array<[string, string[]]>).map(([entryId, values]) => ({
      seq: seqOfId(entryId) ?? 0,
      frame: values[1],
    }));
    const lastEntry = (last as Array<[string, string[]]>)[0];
    return { replay, lastSeq: seqOfId(lastEntry?.[0] ?? '') ?? 0 };
  }

  /** Ends the hold of a session resumed here: what was kept meanwhile after `replayedTo` goes out now. */
  private deliverHeld(held: Held, replayedTo: number): void {
    const waiting = held.holding ?? [];
    held.holding = undefined;
    for (const entry of waiting) if (entry.seq > replayedTo) held.session.sink?.deliver(entry);
  }

  /** Asks the instance that held a session to let it go, and waits (briefly) until it has. */
  private async takeFrom(
    owner: string,
    sessionId: string,
    epoch: number,
    close: boolean,
    attached: boolean,
  ): Promise<void> {
    const released = attached
      ? new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RELEASE_WAIT_MS);
          this.releases.set(sessionId, () => {
            clearTimeout(timer);
            resolve();
          });
        })
      : Promise.resolve();
    this.publishControl(owner, {
      type: 'takeover',
      sessionId,
      epoch,
      close,
      replyTo: this.options.instanceId,
    });
    await released;
    this.releases.delete(sessionId);
  }

  private onControl(message: ControlMessage): void {
    if (message.type === 'released') {
      this.releases.get(message.sessionId)?.();
      return;
    }
    const held = this.held.get(message.sessionId);
    if (held && held.epoch < message.epoch) this.lose(held, message.close);
    this.publishControl(message.replyTo, { type: 'released', sessionId: message.sessionId });
  }

  /** Another instance has the session now: let it go here, closing its connection (4409) when asked. */
  private lose(held: Held, close: boolean): void {
    const sink = held.session.sink;
    this.release(held);
    if (close) sink?.takeOver();
  }

  /** Stops serving a session here without ending it: it lives on in Redis (and maybe elsewhere). */
  private release(held: Held): void {
    const { session } = held;
    if (this.held.get(session.id) === held) this.held.delete(session.id);
    held.lost = true;
    this.options.clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    session.sink = undefined;
    session.ended = true;
    try {
      session.handler.release?.(session.context);
    } catch (error) {
      this.options.logger(`session ${session.id}: handler release failed: ${(error as Error).message}`);
    }
  }

  private hold(
    init: Omit<NewSession, 'requests'>,
    epoch: number,
    seq: number,
    requests: RequestMemory,
    cursors: Map<string, string>,
    stateSavedAt: number,
  ): Held {
    const held = { epoch, lost: false, holding: undefined, cursors, stateSavedAt, saving: false } as Held;
    const journal = new RedisJournal(held, this.writer);
    const session = new Session(
      { ...init, requests, onFailure: (failed, error) => this.fail(failed, error) },
      journal,
    );
    Object.assign(held, { session });
    session.seq = seq;
    const { context } = session;
    context.stateChanged = () => this.saveState(held);
    context.stoppedFollowing = (topic) => {
      held.cursors.delete(topic);
      if (!held.lost) this.write(FORGET_CURSOR, session.id, [held.epoch, topic], 'forget a cursor');
    };
    this.held.set(init.id, held);
    return held;
  }

  private requestMemory(sessionId: string, earlier: Map<string, { frames: string[]; expiresAt: number }>) {
    const { remembersRequests, forgetfulMemory, decorateRequestMemory = (memory) => memory } = this.options;
    if (!remembersRequests) return forgetfulMemory;
    return decorateRequestMemory(
      new SharedRequestMemory(
        this.options.link,
        sessionId,
        this.options.replyTtlMs,
        () => this.attachedTtlMs,
        this.options.clock,
        earlier,
      ),
    );
  }

  /** Saves the handler's state once the current job is over (several changes in a row are saved once). */
  private saveState(held: Held): void {
    if (held.saving || held.lost) return;
    held.saving = true;
    queueMicrotask(() => {
      held.saving = false;
      if (held.lost) return;
      const { session } = held;
      const state = session.handler.saveState?.(session.context) ?? {};
      this.write(SAVE_STATE, session.id, [held.epoch, JSON.stringify(state)], 'save state');
    });
  }

  /** Renews the time to live of the sessions attached here. */
  private touch(): void {
    const { link } = this.options;
    if (!link.isAvailable) return;
    for (const { session } of this.held.values()) {
      if (!session.sink) continue;
      for (const key of [
        RedisKeys.session(session.id),
        RedisKeys.log(session.id),
        RedisKeys.replies(session.id),
      ]) {
        link.send(['PEXPIRE', key, this.attachedTtlMs]).catch(() => {});
      }
    }
  }

  private write(
    script: typeof DETACH,
    sessionId: string,
    args: readonly (string | number)[],
    what: string,
  ): void {
    const keys = [RedisKeys.session(sessionId), RedisKeys.log(sessionId), RedisKeys.replies(sessionId)];
    this.options.link
      .run(script, keys, args)
      .catch((error: unknown) => this.writeFailed(what, sessionId, error));
  }

  private writeFailed(what: string, sessionId: string, error: unknown): void {
    if (!this.options.link.isAvailable) return; // reported once, as the store being unreachable
    this.options.logger(`session ${sessionId}: ${what} failed: ${(error as Error).message}`);
  }
}

/** A flat `[name, value, …]` reply as a map. */
function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

/** The `seq` of a journal entry id `<seq>-0`; undefined for none (or the empty stream's `0-1` marker). */
function seqOfId(id: string): number | undefined {
  const seq = Number(id.slice(0, id.indexOf('-')));
  return id === '' || !Number.isSafeInteger(seq) || seq === 0 ? undefined : seq;
}
