/**
 * Section 4 — the conformance suite's wall time against the reference server started in-process with
 * short timers (`runConformance` without a URL), and how close that is to the longest single check: with
 * checks running concurrently the whole run should last little more than its slowest check.
 */
import { performance } from 'node:perf_hooks';
import { notAvailable, SectionBuilder, type SectionResult } from '../lib/report.js';

const TITLE = 'conformance suite against the reference server (short timers)';
const TARGET_WALL_MS = 5_000;
const TARGET_WALL_TO_LONGEST = 1.25;

export async function conformanceSection(options: { quick: boolean }): Promise<SectionResult> {
  let runConformance: typeof import('../../src/conformance/api.js').runConformance;
  try {
    ({ runConformance } = await import('../../src/conformance/api.js'));
  } catch (error) {
    return notAvailable(
      TITLE,
      `src/conformance/api.ts cannot be loaded: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const runs = options.quick ? 1 : 3;
  const samples: Array<{
    wallMs: number;
    longestMs: number;
    longestId: string;
    summary: Record<string, number>;
  }> = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const report = await runConformance({});
    const wallMs = performance.now() - start;
    const longest = report.checks.reduce((a, b) => (b.durationMs > a.durationMs ? b : a), report.checks[0]);
    samples.push({
      wallMs,
      longestMs: longest?.durationMs ?? Number.NaN,
      longestId: longest?.id ?? 'none',
      summary: { ...report.summary, unexpectedPasses: report.summary.unexpectedPasses.length },
    });
  }
  // The median run by wall time, so one slow start-up does not decide the figure.
  const sample = [...samples].sort((a, b) => a.wallMs - b.wallMs)[samples.length >> 1];
  const ratio = sample.wallMs / sample.longestMs;
  const section = new SectionBuilder(TITLE)
    .figure('wall time', sample.wallMs, 'ms')
    .figure(`longest check (${sample.longestId})`, sample.longestMs, 'ms')
    .figure('checks', sample.summary.total, 'checks')
    .figure('passed', sample.summary.pass, 'checks')
    .figure('failed', sample.summary.fail, 'checks')
    .figure('skipped', sample.summary.skip, 'checks')
    .figure('errors', sample.summary.error, 'checks')
    .ratio('wall / longest check', ratio)
    .atMost('wall time (ms)', sample.wallMs, TARGET_WALL_MS, false, '< 5,000 ms')
    .atMost('wall / longest check', ratio, TARGET_WALL_TO_LONGEST, true);
  section.note(`median of ${runs} run(s); wall time includes starting and stopping the in-process server`);
  return section.build();
}
