/**
 * Runs one example of the source documents through the behaviours its source shows, cell by cell, and
 * collects the cells into the table the test prints. A cell passes, or is a bug of the source's own
 * code that the cell names and shows happening; anything else fails the example's test.
 */
import type { ReferenceServer } from '../../../src/server/index.js';
import { scaled, TEST_SCALE } from '../../support/timing.js';
import { Page } from './page.js';
import { runPython, type PythonClient } from './python.js';
import { startNetwork, type Network } from './network.js';
import { describeMarker, extractBlock, type BlockMarker } from './seed-source.js';

/** The reference server's timers for the examples: pings often enough to watch a few in a cell. */
export const SERVER_TIMERS = { heartbeatIntervalMs: scaled(200), heartbeatTimeoutMs: scaled(3_000) };
/** Simulation speed: a campaign run, a system status every 100 ms, models every 200 ms. */
export const SIMULATION_SPEED = 50;
/** What the documents' own delays are multiplied by: their 5 s reconnect takes 50 ms. */
export const DOCUMENT_TIME_FACTOR = 0.01 * TEST_SCALE;

/**
 * How long a cell waits, as multiples of the timer that produces what it waits for. Deadlines are
 * generous (a wait that succeeds ends early); the quiet windows, which always run to their end, are short.
 */
export const Waits = {
  /** Deadline of an upgrade and the first message of a fresh session. */
  connectMs: scaled(5_000),
  /** Deadline of something a source produces every `cadenceMs` at speed 1 (the document's figure). */
  sourceMs: (cadenceMs: number) => scaled(5_000) + 20 * (cadenceMs / SIMULATION_SPEED),
  /** Deadline of a document's own timer of `delayMs` (a reconnect delay, a ping interval) and a connection. */
  documentMs: (delayMs: number) => 4 * delayMs * DOCUMENT_TIME_FACTOR + scaled(5_000),
  /** Deadline of two of the server's heartbeats. */
  heartbeatsMs: 10 * SERVER_TIMERS.heartbeatIntervalMs,
  /** Window in which a reply or event that must not come would have come: three heartbeat intervals. */
  quietMs: 3 * SERVER_TIMERS.heartbeatIntervalMs,
  /** Window in which a document's timer of `delayMs` (a reconnect it must not make) would have fired. */
  quietAfterMs: (delayMs: number) =>
    4 * delayMs * DOCUMENT_TIME_FACTOR + 3 * SERVER_TIMERS.heartbeatIntervalMs,
};

export type Behaviour = 'connect' | 'receive' | 'send' | 'heartbeat' | 'drop' | 'stop' | 'auth';

export const BEHAVIOURS: ReadonlyArray<{ behaviour: Behaviour; title: string }> = [
  { behaviour: 'connect', title: 'connect' },
  { behaviour: 'receive', title: 'messages' },
  { behaviour: 'send', title: 'requests' },
  { behaviour: 'heartbeat', title: 'heartbeat' },
  { behaviour: 'drop', title: 'drop' },
  { behaviour: 'stop', title: 'stop' },
  { behaviour: 'auth', title: '4001' },
];

export interface Cell {
  behaviour: Behaviour;
  outcome: 'pass' | 'seed bug' | 'fail' | 'skip';
  /** What was checked, or the bug's name, or what went wrong. */
  detail: string;
}

export interface Example {
  /** The row's name in the table. */
  name: string;
  /** The example's own block first, then blocks of the same document it runs with (the page it lives on). */
  blocks: BlockMarker[];
  /** Set for the Python examples, which need Debian's python3-websockets. */
  python?: boolean;
  run(x: ExampleContext, code: string[]): Promise<void>;
}

/** What an example's driver gets: fresh pages and Python processes on its own network, and its cells. */
export class ExampleContext {
  readonly cells: Cell[] = [];
  private readonly cleanups: Array<() => void | Promise<void>> = [];

  constructor(
    readonly server: ReferenceServer,
    readonly network: Network,
  ) {}

  token(userId = '1'): Promise<string> {
    return this.server.mintToken(userId);
  }

  /** A fresh page on this example's network, disposed when the example ends. */
  page(): Page {
    const page = new Page(this.network.url, DOCUMENT_TIME_FACTOR);
    this.defer(() => page.dispose());
    return page;
  }

  /** A fresh page that has run `parts` as one script; with the top-level `names` asked for. */
  scriptPage(parts: string[], names: string[] = [], extra = {}): Record<string, unknown> & { page: Page } {
    const page = this.page();
    return { ...page.script(parts, names, extra), page };
  }

  python(code: string): PythonClient {
    const client = runPython(code, this.network.url, DOCUMENT_TIME_FACTOR);
    this.defer(async () => {
      client.kill();
      await client.exited;
    });
    return client;
  }

  defer(cleanup: () => void | Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** A cell that passes when `check` resolves. */
  async cell(behaviour: Behaviour, what: string, check: () => Promise<void>): Promise<void> {
    try {
      await check();
      this.cells.push({ behaviour, outcome: 'pass', detail: what });
    } catch (error) {
      this.cells.push({ behaviour, outcome: 'fail', detail: `${what}: ${(error as Error).message}` });
    }
  }

  /**
   * A cell where the source's own code is wrong: `symptom` shows the bug happening, so the cell notices
   * when the code (or the server) changes and the bug no longer shows.
   */
  async seedBug(behaviour: Behaviour, bug: string, symptom: () => Promise<void>): Promise<void> {
    try {
      await symptom();
      this.cells.push({ behaviour, outcome: 'seed bug', detail: bug });
    } catch (error) {
      this.cells.push({
        behaviour,
        outcome: 'fail',
        detail: `seed bug "${bug}" did not show: ${(error as Error).message}`,
      });
    }
  }

  async close(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }
}

/** Runs one example against the server; resolves with its cells (a thrown driver becomes a failed cell). */
export async function runExample(example: Example, server: ReferenceServer): Promise<Cell[]> {
  const code = example.blocks.map((marker) => extractBlock(marker).code);
  const network = await startNetwork(server.port);
  const x = new ExampleContext(server, network);
  try {
    await example.run(x, code);
  } catch (error) {
    x.cells.push({
      behaviour: 'connect',
      outcome: 'fail',
      detail: `the driver stopped: ${(error as Error).message}`,
    });
  } finally {
    await x.close();
    await network.close();
  }
  return x.cells;
}

/** The example's row name with where it comes from, for test titles. */
export function exampleTitle(example: Example): string {
  return `${example.name} (${describeMarker(example.blocks[0])})`;
}

/** The example × behaviour table, with the seed bugs named below it. */
export function formatTable(rows: ReadonlyArray<{ example: Example; cells: readonly Cell[] }>): string {
  const mark = (cells: readonly Cell[]) =>
    cells.length === 0
      ? '—'
      : cells.some((c) => c.outcome === 'fail')
        ? 'FAIL'
        : cells.some((c) => c.outcome === 'skip')
          ? 'skip'
          : cells.some((c) => c.outcome === 'seed bug')
            ? 'seed bug'
            : 'pass';
  const header = ['example', ...BEHAVIOURS.map((b) => b.title)];
  const body = rows.map(({ example, cells }) => [
    `${example.blocks[0].source} ${example.name}`,
    ...BEHAVIOURS.map(({ behaviour }) => mark(cells.filter((c) => c.behaviour === behaviour))),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => row[i].length)));
  const line = (row: string[]) => row.map((text, i) => text.padEnd(widths[i])).join(' | ');
  const bugs = rows.flatMap(({ example, cells }) =>
    cells
      .filter((c) => c.outcome !== 'pass')
      .map((c) => `- ${example.blocks[0].source} ${example.name}, ${c.behaviour}: ${c.outcome}: ${c.detail}`),
  );
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line), '', ...bugs].join(
    '\n',
  );
}
