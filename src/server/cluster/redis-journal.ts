/**
 * Session journals and request memories kept in Redis. A data message is delivered only once Redis has
 * kept it (write-ahead), so a client never holds a `seq` that another instance could not replay; the
 * messages of one fan-out go to Redis in one script call.
 */
import type { TopicPosition } from '../bus.js';
import type { Clock } from '../clock.js';
import type { RequestMemory } from '../core/request-memory.js';
import { TimedRequestMemory } from '../core/request-memory.js';
import type { JournalEntry, Session, SessionJournal } from '../core/session.js';
import type { RedisLink } from './redis-link.js';
import { RedisKeys } from './redis-keys.js';
import { APPEND } from './redis-scripts.js';

/** One session held by this instance, as the journal sees it. */
export interface JournalOwner {
  readonly session: Session;
  /** The session's epoch on this instance: writes of an older one are refused. */
  readonly epoch: number;
  /** Set once another instance has the session: nothing more is written or delivered here. */
  readonly lost: boolean;
  /**
   * Set while the session is being resumed on this instance: kept entries wait here instead of going to
   * a connection that is being replaced, and follow the replay.
   */
  readonly holding?: JournalEntry[];
}

/** The entries of one job, side by side: entry `i` is `entries[i]` of `owners[i]`, from `ats[i]`. */
interface Batch {
  owners: JournalOwner[];
  entries: JournalEntry[];
  ats: (TopicPosition | undefined)[];
  done: Promise<void>;
  /** Set once the batch is written and delivered (or failed). */
  settled: boolean;
  settle(error?: unknown): void;
}

/**
 * Collects the data messages emitted during one job (a fan-out emits to many sessions in one) and writes
 * them in one call, then delivers those Redis kept, in order.
 */
export class JournalWriter {
  private batch: Batch | undefined;

  constructor(
    private readonly link: RedisLink,
    /** Entries kept per session, at most (about), and bytes of them, at most (the newest is always kept). */
    private readonly maxLength: number,
    private readonly maxBytes: number,
    /** A session whose entry Redis refused: another instance has it, or it is gone. */
    private readonly refused: (owner: JournalOwner) => void,
  ) {}

  /** Queues an entry in the batch of the current job, which it returns. */
  add(owner: JournalOwner, entry: JournalEntry, at: TopicPosition | undefined): Batch {
    let batch = this.batch;
    if (!batch) {
      const created: Batch = {
        owners: [],
        entries: [],
        ats: [],
        done: Promise.resolve(),
        settled: false,
        settle: () => {},
      };
      created.done = new Promise<void>((resolve, reject) => {
        created.settle = (error) => {
          created.settled = true;
          if (error === undefined) resolve();
          else reject(error);
        };
      });
      // Nobody may wait for a batch: its failure is reported through availability.
      created.done.catch(() => {});
      batch = this.batch = created;
      queueMicrotask(() => void this.flush());
    }
    batch.owners.push(owner);
    batch.entries.push(entry);
    batch.ats.push(at);
    return batch;
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    let refusedIndexes: Set<number>;
    try {
      const reply = await this.link.run(APPEND, [], appendArguments(batch, this.maxLength, this.maxBytes));
      refusedIndexes = new Set((reply as number[]).map((index) => index - 1));
    } catch (error) {
      batch.settle(error);
      return;
    }
    const { owners, entries } = batch;
    for (let i = 0; i < entries.length; i++) {
      const owner = owners[i];
      if (owner.lost) continue;
      if (refusedIndexes.has(i)) this.refused(owner);
      else if (owner.holding) owner.holding.push(entries[i]);
      else owner.session.sink?.deliver(entries[i]);
    }
    batch.settle();
  }
}

/**
 * The arguments of APPEND: entries that share a body, a stamp and a topic position (one message fanned out
 * to many sessions in the same millisecond) go in one group, so the body is sent once.
 */
function appendArguments({ owners, entries, ats }: Batch, maxLength: number, maxBytes: number): string[] {
  const args = [RedisKeys.sessionPrefix, String(maxLength), String(maxBytes)];
  let countAt = -1;
  let count = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const at = ats[i];
    const previous = i > 0 ? entries[i - 1] : undefined;
    const shared =
      previous !== undefined &&
      entry.stamp !== undefined &&
      entry.text === previous.text &&
      entry.stamp === previous.stamp &&
      at === ats[i - 1];
    if (!shared) {
      if (countAt >= 0) args[countAt] = String(count);
      countAt = args.length;
      count = 0;
      args.push('', entry.text, entry.stamp ?? '', at?.topic ?? '', at?.id ?? '');
    }
    count += 1;
    args.push(`${owners[i].epoch}:${entry.seq}:${owners[i].session.id}`);
  }
  if (countAt >= 0) args[countAt] = String(count);
  return args;
}

/** The journal of one session held here: every entry goes through the instance's writer. */
export class RedisJournal implements SessionJournal {
  /** The batch of the session's last entry. */
  private last: Batch | undefined;

  constructor(
    private readonly owner: JournalOwner,
    private readonly writer: JournalWriter,
  ) {}

  record(entry: JournalEntry, at: TopicPosition | undefined): boolean {
    this.last = this.writer.add(this.owner, entry, at);
    return false;
  }

  settled(): Promise<void> | undefined {
    return this.last && !this.last.settled ? this.last.done : undefined;
  }
}

interface Remembered {
  frames: string[];
  expiresAt: number;
}

/**
 * Replies remembered by request id, here and in Redis: a session taken over by another instance brings
 * them along (ACK-002 across instances). A reply is sent only once Redis has it.
 */
export class SharedRequestMemory implements RequestMemory {
  private readonly recent: TimedRequestMemory;

  constructor(
    private readonly link: RedisLink,
    private readonly sessionId: string,
    private readonly ttlMs: number,
    private readonly keyTtlMs: () => number,
    private readonly clock: Clock,
    /** Replies remembered by the instance that held the session before. */
    private readonly earlier: ReadonlyMap<string, Remembered> = new Map(),
  ) {
    this.recent = new TimedRequestMemory(ttlMs, clock);
  }

  /** The replies of a session as Redis has them (expired ones left out). */
  static async load(link: RedisLink, sessionId: string, now: number): Promise<Map<string, Remembered>> {
    const flat = (await link.send(['HGETALL', RedisKeys.replies(sessionId)])) as string[] | null;
    const earlier = new Map<string, Remembered>();
    for (let i = 0; i + 1 < (flat?.length ?? 0); i += 2) {
      const remembered = JSON.parse(flat![i + 1]) as Remembered;
      if (remembered.expiresAt > now) earlier.set(flat![i], remembered);
    }
    return earlier;
  }

  recall(key: string): Promise<string[]> | undefined {
    const recent = this.recent.recall(key);
    if (recent) return recent;
    const earlier = this.earlier.get(key);
    return earlier && earlier.expiresAt > this.clock.now() ? Promise.resolve(earlier.frames) : undefined;
  }

  remember(key: string, frames: Promise<string[]>): Promise<string[]> {
    const expiresAt = this.clock.now() + this.ttlMs;
    const repliesKey = RedisKeys.replies(this.sessionId);
    const kept = frames.then(async (sent) => {
      const remembered: Remembered = { frames: sent, expiresAt };
      await Promise.all([
        this.link.send(['HSET', repliesKey, key, JSON.stringify(remembered)]),
        this.link.send(['PEXPIRE', repliesKey, this.keyTtlMs()]),
      ]);
      return sent;
    });
    return this.recent.remember(key, kept);
  }
}
