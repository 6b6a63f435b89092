/**
 * Section 1 — the runner's receive path: `JSON.parse`, find the schema by endpoint and `type`, validate
 * (SchemaRegistry.validate), on a realistic mix of server messages, against `JSON.parse` alone. All three
 * variants run interleaved in the same process, on the same messages, in the same run.
 */
import { serverMessageMix } from '../fixtures/server-messages.js';
import { compareVariants } from '../lib/measure.js';
import { notAvailable, SectionBuilder, type SectionResult } from '../lib/report.js';

const TITLE = 'validation throughput of the receive path (one core)';
/** The targets of docs/benchmarks.md, section 1. */
const VALIDATE_MIN_PER_SEC = 1_000_000;
const PARSE_VALIDATE_MIN_RATIO = 0.5;

type Registry = import('../../src/conformance/envelope-validator.js').MessageSchemas;
type FrameViolations = typeof import('../../src/conformance/envelope-validator.js').textFrameViolations;

export async function validationSection(options: { quick: boolean }): Promise<SectionResult> {
  let registry: Registry;
  try {
    const { SchemaRegistry } = await import('../../src/protocol/schema-registry.js');
    registry = SchemaRegistry.shared();
  } catch (error) {
    return notAvailable(
      TITLE,
      `the schema registry cannot be loaded: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  // The runner's own per-frame inspection (schema + RFC 3339 timestamp), when the runner is there.
  let frameViolations: FrameViolations | undefined;
  try {
    ({ textFrameViolations: frameViolations } = await import('../../src/conformance/envelope-validator.js'));
  } catch {
    frameViolations = undefined;
  }
  const mix = serverMessageMix(2_048);
  const size = mix.length;
  const texts = mix.map((m) => m.text);
  const endpoints = mix.map((m) => m.endpoint);
  const parsed = texts.map((text) => JSON.parse(text) as unknown);
  const invalid = mix.filter((m, i) => !registry.validate(m.endpoint, 'server', parsed[i]).ok);

  // A sink the optimiser cannot see through, so no variant's work is dropped as dead code.
  let sink = 0;
  const variants: Record<string, (i: number) => void> = {
    parse: (i) => {
      sink += (JSON.parse(texts[i % size]) as { type: string }).type.length;
    },
    validate: (i) => {
      sink += registry.validate(endpoints[i % size], 'server', parsed[i % size]).ok ? 1 : 0;
    },
    'parse+validate': (i) => {
      const message = JSON.parse(texts[i % size]) as unknown;
      sink += registry.validate(endpoints[i % size], 'server', message).ok ? 1 : 0;
    },
  };
  if (frameViolations) {
    const inspect = frameViolations;
    variants.runner = (i) => {
      const text = texts[i % size];
      sink += inspect(registry, endpoints[i % size], text, JSON.parse(text)).length + 1;
    };
  }
  const rates = compareVariants(
    variants,
    options.quick ? { rounds: 1, budgetMs: 200 } : { rounds: 5, budgetMs: 1_000 },
  );
  if (sink === 0) throw new Error('the benchmark loops did no work');

  const cpu = (name: string) => rates[name].cpu;
  const ratio = cpu('parse+validate') / cpu('parse');
  const section = new SectionBuilder(TITLE);
  const labels: Record<string, string> = {
    parse: 'JSON.parse alone',
    validate: 'validate alone',
    'parse+validate': 'parse+validate',
    runner: 'runner receive path (parse + schema + timestamp)',
  };
  for (const [name, label] of Object.entries(labels)) {
    if (!rates[name]) continue;
    section.figure(`${label}, per CPU second`, rates[name].cpu, 'msg/s');
    section.figure(`${label}, wall clock`, rates[name].wall, 'msg/s');
  }
  section
    .figure('mean message size', texts.reduce((sum, t) => sum + t.length, 0) / size, 'bytes')
    .figure('messages failing validation', invalid.length, `of ${size}`)
    .ratio('parse+validate / parse', ratio);
  if (rates.runner) section.ratio('runner receive path / parse', cpu('runner') / cpu('parse'));
  section
    .atLeast('validate alone, per CPU second', cpu('validate'), VALIDATE_MIN_PER_SEC, '≥ 1,000,000 msg/s')
    .atLeast('parse+validate / parse', ratio, PARSE_VALIDATE_MIN_RATIO);
  const kinds = [...new Set(mix.map((m) => m.type))].sort();
  section.note(`mix of ${size} messages: ${kinds.join(', ')}`);
  if (invalid.length > 0) {
    const first = invalid[0];
    section.note(
      `fixture messages the schemas refuse (e.g. ${first.endpoint}/${first.type}): they take the error path`,
    );
  }
  return section.build();
}
