/**
 * Live progress of a run on a stream: a line per finished check (with `--repeat`, a line per check once
 * all its runs ended: `passed k/N`), and for the checks still running either a status line that a
 * terminal redraws in place, or, when the stream is not a terminal (a CI log), a line every
 * `intervalMs`: `still waiting on HB-001 (up to 31 s more)`, so a long wait never looks like a hang.
 */
import type { CheckProgress } from './engine.js';
import { flakeLine, flakeRows } from './reporters/flake-table.js';
import { checkLine, type PrettyOptions } from './reporters/pretty.js';
import type { CheckResult } from './types.js';

/** How often a log (not a terminal) hears about the checks still running. */
export const PROGRESS_INTERVAL_MS = 10_000;
/** Running checks named in a progress line; the rest are counted. */
const NAMED_CHECKS = 3;

export interface ProgressOptions extends PrettyOptions {
  /** The stream is a terminal: redraw one status line instead of writing waiting lines. */
  tty: boolean;
  /** Runs per check (`--repeat`). */
  repeat: number;
  intervalMs: number;
  /** Checks that will report a result (selected checks × repeat). */
  total: number;
}

export class RunProgress {
  /** Running checks by `id#iteration`, with when their deadline falls (performance.now ms). */
  private readonly running = new Map<string, { id: string; deadlineAt: number }>();
  /** With --repeat: the results of each check so far. */
  private readonly runsOf = new Map<string, CheckResult[]>();
  private finished = 0;
  private statusShown = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly write: (text: string) => void,
    private readonly options: ProgressOptions,
  ) {
    this.timer = setInterval(() => this.tick(), options.intervalMs);
    this.timer.unref();
  }

  check(event: CheckProgress): void {
    const key = `${event.id}#${event.iteration}`;
    if (event.state === 'started') {
      this.running.set(key, { id: event.id, deadlineAt: performance.now() + event.deadlineMs });
    } else {
      this.running.delete(key);
    }
    if (this.options.tty) this.showStatus();
  }

  result(result: CheckResult): void {
    this.finished++;
    this.clearStatus();
    const line = this.lineFor(result);
    if (line !== undefined) this.write(`${line}\n`);
    if (this.options.tty) this.showStatus();
  }

  /** Stops the timer and removes the status line. */
  stop(): void {
    clearInterval(this.timer);
    this.clearStatus();
  }

  private lineFor(result: CheckResult): string | undefined {
    if (this.options.repeat <= 1) return checkLine(result, this.options);
    const runs = [...(this.runsOf.get(result.id) ?? []), result];
    this.runsOf.set(result.id, runs);
    return runs.length === this.options.repeat ? flakeLine(flakeRows(runs)[0], this.options) : undefined;
  }

  private tick(): void {
    if (this.options.tty) this.showStatus();
    else if (this.running.size > 0) this.write(`still ${this.waitingText()}\n`);
  }

  /** `waiting on HB-001, HB-002 and 3 more (up to 31 s more)` */
  private waitingText(): string {
    const entries = [...this.running.values()];
    const ids = [...new Set(entries.map((e) => e.id))];
    const named = ids.slice(0, NAMED_CHECKS).join(', ');
    const more = ids.length > NAMED_CHECKS ? ` and ${ids.length - NAMED_CHECKS} more` : '';
    const latest = Math.max(...entries.map((e) => e.deadlineAt));
    const seconds = Math.max(0, Math.ceil((latest - performance.now()) / 1000));
    return `waiting on ${named}${more} (up to ${seconds} s more)`;
  }

  private showStatus(): void {
    this.clearStatus();
    if (this.finished >= this.options.total || this.running.size === 0) return;
    const text = `[${this.finished}/${this.options.total}] ${this.waitingText()}`;
    this.write(this.options.color ? `\u001b[2m${text}\u001b[0m` : text);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (this.statusShown) this.write('\r\u001b[2K');
    this.statusShown = false;
  }
}
