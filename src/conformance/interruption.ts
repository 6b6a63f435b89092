/**
 * An interrupted run: the signals that stop the command-line runner and the exit status it then ends
 * with. An interrupted run is neither a verdict (0 or 1) nor a runner error (2): it ends with 128 + the
 * signal's number, 130 for SIGINT and 143 for SIGTERM, which is what a shell reports for any program a
 * signal ended, so scripts, `make` and CI runners see an interruption as they do for every other tool, and
 * a pipeline that retries on 2 (server unreachable) does not retry a run someone cancelled. The report
 * written on the way out carries the same code.
 */

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

export const INTERRUPTED_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const satisfies Record<
  InterruptSignal,
  number
>;
export type InterruptedExitCode = (typeof INTERRUPTED_EXIT_CODES)[InterruptSignal];

/**
 * The exit status of a run aborted with `reason`: `controller.abort('SIGTERM')` gives 143; any other
 * reason (Ctrl-C, or a program's own `abort()`) gives 130.
 */
export function interruptedExitCode(reason: unknown): InterruptedExitCode {
  return reason === 'SIGTERM' ? INTERRUPTED_EXIT_CODES.SIGTERM : INTERRUPTED_EXIT_CODES.SIGINT;
}

/** The signal named by an abort reason, for messages ("interrupted by SIGTERM"). */
export function interruptSignalOf(reason: unknown): InterruptSignal {
  return reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
}
