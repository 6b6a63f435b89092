import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/generate-cli.js';
import { buildPackageImage } from './support/package-image.js';

const BUILD_DEADLINE_MS = 120_000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tidewire-consumer-'));
const consumerDir = path.join(root, 'consumer');

const CONSUMER_SOURCE = `import type { CampaignUpdate, CampaignsServerMessage } from 'tidewire/types';
import { CampaignsClient, RequestError } from 'tidewire/client';
import { MarketDataClient } from 'tidewire';

export const seen: unknown[] = [];
const campaigns = new CampaignsClient({ url: 'ws://localhost:3000', query: { campaignId: 1, userId: '1' } });
campaigns.on('campaign_update', (message) => {
  const update: CampaignUpdate = message;
  const sent: number = update.data.progress.sent;
  seen.push(sent);
});
campaigns.onMessage((message: CampaignsServerMessage) => {
  if (message.type === 'qr_code') seen.push(message.data.qrCode.length);
});
const market = new MarketDataClient({ url: 'ws://localhost:3000' });
market.request({ type: 'subscribe', symbols: ['BTC'] }).catch((error: unknown) => {
  if (error instanceof RequestError) seen.push(error.code);
});
`;

/** Compiles the consumer with the repository's tsc; resolves with its exit code and output. */
function tsc(): Promise<{ code: number; output: string }> {
  const tscBin = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tscBin, '--noEmit', '-p', consumerDir],
      { timeout: BUILD_DEADLINE_MS },
      (error, stdout) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout }),
    );
  });
}

beforeAll(() => {
  const packageDir = path.join(root, 'package');
  fs.mkdirSync(packageDir);
  buildPackageImage(packageDir);
  fs.mkdirSync(path.join(consumerDir, 'node_modules'), { recursive: true });
  fs.symlinkSync(packageDir, path.join(consumerDir, 'node_modules', 'tidewire'), 'dir');
  fs.writeFileSync(
    path.join(consumerDir, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { tidewire: 'file:../package' },
    }),
  );
  const compilerOptions = {
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    strict: true,
    lib: ['ES2022'],
    types: [],
  };
  fs.writeFileSync(
    path.join(consumerDir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, include: ['*.ts'] }),
  );
}, BUILD_DEADLINE_MS);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a project that depends on the package', { timeout: BUILD_DEADLINE_MS }, () => {
  it('compiles typed handlers through tidewire, tidewire/client and tidewire/types', async () => {
    fs.writeFileSync(path.join(consumerDir, 'consumer.ts'), CONSUMER_SOURCE);
    const result = await tsc();
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('fails to compile a field the message does not have and a message the endpoint does not accept', async () => {
    const wrong = `${CONSUMER_SOURCE}
campaigns.on('progress_update', (message) => {
  const total: number = message.data.progress.totl;
  seen.push(total);
});
campaigns.send({ type: 'subscribe', symbols: ['BTC'] });
`;
    fs.writeFileSync(path.join(consumerDir, 'consumer.ts'), wrong);
    const lineOf = (text: string) => wrong.split('\n').findIndex((line) => line.includes(text)) + 1;
    const result = await tsc();
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(new RegExp(`consumer\\.ts\\(${lineOf('totl')},\\d+\\): error TS2\\d+`));
    expect(result.output).toMatch(
      new RegExp(`consumer\\.ts\\(${lineOf('campaigns.send(')},\\d+\\): error TS2\\d+: .*"subscribe"`),
    );
    expect(result.output.trim().split('\n')).toHaveLength(2);
  });
});
