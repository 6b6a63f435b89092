/**
 * The checks as vitest tests, so a team can put the suite in its own test run:
 *
 * ```ts
 * // test/conformance.test.ts
 * import { defineConformanceSuite } from 'tidewire/conformance/vitest';
 * defineConformanceSuite({ url: process.env.TARGET_URL, tokenSecret: process.env.TOKEN_SECRET });
 * ```
 *
 * A suite needs a target: `url`, or `referenceServer: true` to check the bundled reference server started
 * in-process. Without either (an unset `TARGET_URL`) it throws when the file is collected, so a suite
 * meant for a team's server never passes by checking the bundled one. The outer `describe` names the
 * target: `Tidewire conformance — ws://staging:3000`.
 *
 * One `describe` per area, one `it` per check. `beforeAll` reaches (or starts) the server and discovers
 * it, `afterAll` stops the in-process server. Within an area the checks run concurrently; the envelope
 * area runs last, so ENV-001..003 include what every other check received. A `skip` result skips the
 * test, and so does `blocked` (naming the check it waits for); `fail` and `error` fail it with the
 * requirement, expected, actual and the last frames; a SHOULD's `warn` and an expected failure pass with
 * an annotation.
 *
 * @module tidewire/conformance/vitest
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DEFAULT_MAX_WAIT_MS, listChecks, openRun, type OpenRun, type RunOptions } from './api.js';
import { requirementLink } from './docs-link.js';
import { transcriptLine, transcriptTail } from './reporters/transcript-lines.js';
import { RunnerError } from './runner-error.js';
import type { Area, Check, CheckResult } from './types.js';

export interface ConformanceSuiteOptions extends RunOptions {
  /** Name of the outer `describe` (default "Tidewire conformance"), followed by the target. */
  name?: string;
  /** Check the bundled reference server, started in-process; only without `url`. */
  referenceServer?: boolean;
  /** Timeout of `beforeAll` (reaching and discovering the server), default 30 s. */
  setupTimeoutMs?: number;
}

const FRAMES_IN_FAILURE = 15;

function failureText(result: CheckResult): string {
  const lines = [`${result.id} [${result.level}] ${result.message}`, `requirement: ${result.requirement}`];
  const spec = requirementLink(result.id);
  if (spec !== undefined) lines.push(`spec: ${spec}`);
  if (result.expected !== undefined) lines.push(`expected: ${result.expected}`);
  if (result.actual !== undefined) lines.push(`actual: ${result.actual}`);
  const frames = transcriptTail(result.transcript, FRAMES_IN_FAILURE);
  if (frames.length > 0) lines.push('frames:', ...frames.map(transcriptLine));
  return lines.join('\n');
}

/** How a suite's title names its target: the URL without credentials or query (tokens), or the bundled server. */
function targetName(url: string | undefined): string {
  if (url === undefined) return 'bundled reference server (in-process)';
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url; // openRun reports the malformed URL
  }
}

export function defineConformanceSuite(options: ConformanceSuiteOptions = {}): void {
  // An empty variable (`TARGET_URL=`) is as unset as a missing one.
  const url = options.url === '' ? undefined : options.url;
  if (url === undefined && options.referenceServer !== true) {
    throw new RunnerError(
      'defineConformanceSuite needs a target: url is not set (is TARGET_URL exported?); pass referenceServer: true to check the bundled reference server instead',
    );
  }
  if (url !== undefined && options.referenceServer === true) {
    throw new RunnerError('defineConformanceSuite takes url or referenceServer: true, not both');
  }
  const runOptions: RunOptions = { ...options, url };
  const checks = listChecks(options);
  const areas = [...new Set(checks.map((c) => c.area))];
  // The envelope checks gather what every other check received: their area goes last.
  const ordered: Area[] = [
    ...areas.filter((a) => a !== 'envelope'),
    ...areas.filter((a) => a === 'envelope'),
  ];
  const repeat = options.repeat ?? 1;
  const testTimeoutMs = (options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS) * (options.timeoutScale ?? 1) + 15_000;
  let run: OpenRun | undefined;
  let setupError: unknown;

  const runOne = async (check: Check): Promise<CheckResult[]> => {
    if (run === undefined) throw setupError ?? new Error('the conformance target was not set up');
    const results: CheckResult[] = [];
    for (let iteration = 0; iteration < repeat; iteration++) {
      const raw = await run.session.runCheck(check, iteration);
      const result = repeat > 1 ? { ...raw, iteration } : raw;
      results.push(run.session.finalise(check, result));
    }
    return results;
  };

  describe(`${options.name ?? 'Tidewire conformance'} — ${targetName(url)}`, () => {
    beforeAll(async () => {
      try {
        run = await openRun(runOptions);
      } catch (error) {
        setupError = error;
        throw error;
      }
    }, options.setupTimeoutMs ?? 30_000);
    afterAll(async () => {
      await run?.close();
    });

    for (const area of ordered) {
      const inArea = checks.filter((c) => c.area === area);
      const suite = area === 'envelope' ? describe : describe.concurrent;
      suite(area, () => {
        for (const check of inArea) {
          it(
            `${check.id} ${check.title}`,
            async (context) => {
              const results = await runOne(check);
              const failed = results.find(
                (r) => (r.outcome === 'fail' && !r.expectedFailure) || r.outcome === 'error',
              );
              if (failed) throw new Error(failureText(failed));
              // A blocked check did not judge its rule: the test says so rather than passing.
              if (results.every((r) => r.outcome === 'skip' || r.outcome === 'blocked')) {
                context.skip(results[0].message);
              }
              for (const r of results.filter((r) => r.outcome === 'warn' || r.expectedFailure)) {
                await context.annotate(
                  `${r.outcome}${r.expectedFailure ? ' (expected failure)' : ''}: ${r.message}`,
                  'warning',
                );
              }
            },
            testTimeoutMs,
          );
        }
      });
    }
    if ((options.require ?? []).length > 0) {
      it('offers the required families', () => {
        const missing = run?.missingFamilies() ?? [];
        if (missing.length > 0) throw new Error(missing.map((r) => r.message).join('\n'));
      });
    }
  });
}
