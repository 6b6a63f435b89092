/** `npm run token -- --user 1 [--secret s] [--expires-in 3600]`: prints a token for the reference server. */
import { parseArgs } from 'node:util';
import { DEV_TOKEN_SECRET } from './index.js';
import { mintToken } from './token.js';

const USAGE = `Usage: npm run token -- --user <id> [--secret <secret>] [--expires-in <seconds>]

Prints an HS256 token for the reference server (default secret: the development secret, 3600 s).`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        user: { type: 'string' },
        secret: { type: 'string' },
        'expires-in': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError((error as Error).message.split('\n')[0]);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.user) return usageError('--user is required');
  if (values.secret === '') return usageError('--secret must not be empty');
  const expiresIn = values['expires-in'] ?? '3600';
  if (!/^-?[0-9]+$/.test(expiresIn)) return usageError(`--expires-in must be an integer, got "${expiresIn}"`);
  const token = await mintToken(values.secret ?? DEV_TOKEN_SECRET, values.user, {
    expiresInSeconds: Number(expiresIn),
  });
  process.stdout.write(`${token}\n`);
}

function usageError(message: string): void {
  process.stderr.write(`tidewire token: ${message} (see --help)\n`);
  process.exitCode = 2;
}

await main();
