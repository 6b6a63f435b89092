/**
 * Every client example of sources 001, 003 and 004, read byte for byte from the source documents at test
 * time, runs against the reference server with only glue around it (Node with `ws` as `WebSocket`, small
 * DOM stubs, a tiny hooks runtime for React, a tiny options runtime for Vue, Debian's Python with
 * websockets), driven through the behaviours its source shows. The table printed at the end has one row
 * per example: every cell passes, or is a bug of the source's own code, named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ReferenceServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { EXAMPLES, NOT_CLIENT_CODE, NOT_CODE_LANGUAGES } from './examples/index.js';
import {
  exampleTitle,
  formatTable,
  runExample,
  SERVER_TIMERS,
  SIMULATION_SPEED,
  type Cell,
  type Example,
} from './support/harness.js';
import { pythonMissing } from './support/python.js';
import { listBlocks, type SourceId } from './support/seed-source.js';

const PYTHON_MISSING = pythonMissing();

let server: ReferenceServer;
const rows = new Map<Example, readonly Cell[]>();

beforeAll(async () => {
  server = await createServer({
    ...SERVER_TIMERS,
    auth: 'optional',
    simulation: { seed: 1, speed: SIMULATION_SPEED },
  });
});

afterAll(async () => {
  const table = EXAMPLES.map((example) => ({
    example,
    cells:
      rows.get(example) ??
      (example.python && PYTHON_MISSING
        ? [{ behaviour: 'connect' as const, outcome: 'skip' as const, detail: PYTHON_MISSING }]
        : []),
  }));
  const notClient = NOT_CLIENT_CODE.map((b) => `- ${b.source} "${b.heading}" block ${b.block}: ${b.reason}`);
  console.log(
    `Client examples of sources 001, 003 and 004 × behaviours:\n${formatTable(table)}\n\nNot client code:\n${notClient.join('\n')}`,
  );
  await server?.close();
});

describe('the catalogue of examples', () => {
  it('accounts for every code block of sources 001, 003 and 004', () => {
    const key = (b: { source: SourceId; heading: string; block: number }) =>
      `${b.source} ${b.heading} #${b.block}`;
    const known = new Set([...EXAMPLES.flatMap((example) => example.blocks), ...NOT_CLIENT_CODE].map(key));
    const unaccounted = (['001', '003', '004'] as const).flatMap((source) =>
      listBlocks(source)
        .filter((b) => !NOT_CODE_LANGUAGES.includes(b.language) || known.has(key({ source, ...b })))
        .filter((b) => !known.has(key({ source, ...b })))
        .map((b) => `${key({ source, ...b })} (${b.language})`),
    );
    expect(unaccounted).toEqual([]);
    const owns = EXAMPLES.map((example) => key(example.blocks[0]));
    expect(new Set(owns).size, 'one row per example block').toBe(owns.length);
  });
});

describe('client examples of the source documents', { concurrent: true }, () => {
  const cases = (python: boolean) =>
    EXAMPLES.filter((example) => Boolean(example.python) === python).map((example) => ({
      example,
      title: exampleTitle(example),
    }));
  const runs = async ({ example }: { example: Example }) => {
    const cells = await runExample(example, server);
    rows.set(example, cells);
    expect(cells.length, 'the example checks at least one behaviour').toBeGreaterThan(0);
    const failed = cells.filter((cell) => cell.outcome === 'fail');
    expect(failed.map((cell) => `${cell.behaviour}: ${cell.detail}`)).toEqual([]);
  };
  const title = 'runs $title verbatim through the behaviours its source shows';
  it.each(cases(false))(title, { timeout: scaled(60_000) }, runs);
  // Skipped only where Debian's python3-websockets is missing (.ci/run installs it); the table says why.
  it.skipIf(PYTHON_MISSING !== undefined).each(cases(true))(title, { timeout: scaled(60_000) }, runs);
});
