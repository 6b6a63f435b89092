/**
 * `npm run conformance -- [options]` / `npx tidewire-conformance [options]`: see `--help`.
 *
 * SIGINT (Ctrl-C) and SIGTERM (a CI job cancelled or timed out) stop the running checks, which end as
 * `cancelled`, write every requested report and exit 130 or 143 (interruption.ts). A second signal exits
 * at once.
 */
import { INTERRUPT_SIGNALS, INTERRUPTED_EXIT_CODES } from './interruption.js';
import { runCli } from './run-cli.js';

const cancel = new AbortController();
for (const signal of INTERRUPT_SIGNALS) {
  process.on(signal, () => {
    if (cancel.signal.aborted) process.exit(INTERRUPTED_EXIT_CODES[signal]);
    process.stderr.write(
      `\n${signal}: stopping the running checks and writing the reports (${signal} again to quit now)\n`,
    );
    cancel.abort(signal);
  });
}
// A check's background wait that ends after its check must never end the whole run.
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? reason.message : String(reason);
  process.stderr.write(`warning: unhandled rejection in a check: ${message.split('\n')[0]}\n`);
});

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: cancel.signal,
});
// Sockets of a peer that never finishes a closing handshake must not keep the process alive.
process.exit(status);
