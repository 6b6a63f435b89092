/**
 * The exceptions a check's `run` ends with besides returning: `CheckFailure` (the server broke the rule),
 * `CheckSkipped` (the rule does not apply to this server), `CheckBlocked` (another check's precondition failed). Anything else thrown is an `error` outcome:
 * the runner could not run the check.
 */

export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** A precondition that another check judges did not hold: the outcome is `blocked`, never `fail`. */
export class CheckBlocked extends Error {
  constructor(
    readonly byCheckId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'CheckBlocked';
  }
}

export class CheckSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}

/** A wait that ran out of time is a failure that says what was expected (h2spec style). */
export function waitTimedOut(expected: string, waitedMs: number): CheckFailure {
  const actual = `nothing within ${Math.round(waitedMs)} ms`;
  return new CheckFailure(`expected ${expected}, got: ${actual}`, expected, actual);
}

/** A wait that cannot succeed any more because of what happened instead (a close, a refused upgrade). */
export function waitAnsweredBy(expected: string, actual: string): CheckFailure {
  return new CheckFailure(`expected ${expected}, got: ${actual}`, expected, actual);
}
