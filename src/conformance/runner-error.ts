/**
 * A run that cannot start or go on: bad options, an unreachable server, no endpoint at the URL. The CLI
 * prints its message as one line (`error: …`) and exits 2; it is never a check outcome.
 */
export class RunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerError';
  }
}
