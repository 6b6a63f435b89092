/**
 * `npm run conformance -- [options]` / `npx tidewire-conformance [options]`: see `--help`.
 */
import { runCli } from './run-cli.js';

const cancel = new AbortController();
process.once('SIGINT', () => cancel.abort());
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
