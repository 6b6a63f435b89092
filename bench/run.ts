/**
 * `npm run bench` — measures the figures of docs/benchmarks.md on this machine and prints them as a table.
 *
 *   --json FILE      also write every figure, ratio and target as JSON
 *   --only a,b       run only these sections (validation, fanout, connections, conformance, client, docs,
 *                    socketio, hostile, cluster)
 *   --quick          small sizes and short windows: a smoke run (figures are not meaningful)
 *   --profile DIR    server processes write V8 CPU profiles (.cpuprofile) into DIR
 *
 * A section whose module is missing prints "not available: <why>" and the run goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { clientSection } from './sections/client.js';
import { clusterSection } from './sections/cluster.js';
import { conformanceSection } from './sections/conformance.js';
import { connectionsSection } from './sections/connections.js';
import { docsSection } from './sections/docs.js';
import { fanoutSection } from './sections/fanout.js';
import { socketIoSection } from './sections/socketio.js';
import { hostileSection } from './sections/hostile.js';
import { validationSection } from './sections/validation.js';
import { profileServersInto } from './lib/child.js';
import {
  machineInfo,
  notAvailable,
  renderTable,
  type BenchReport,
  type SectionContext,
  type SectionResult,
} from './lib/report.js';

const SECTIONS: Record<string, { title: string; run: (context: SectionContext) => Promise<SectionResult> }> =
  {
    validation: { title: 'validation throughput', run: validationSection },
    fanout: { title: 'fan-out', run: fanoutSection },
    connections: { title: 'idle connections', run: connectionsSection },
    conformance: { title: 'conformance suite wall time', run: conformanceSection },
    client: { title: 'generated client receive path', run: clientSection },
    docs: { title: 'docs time to first render', run: docsSection },
    socketio: { title: 'Socket.IO fan-out', run: socketIoSection },
    hostile: { title: 'CPU per hostile message', run: hostileSection },
    cluster: { title: 'two instances through Redis', run: clusterSection },
  };

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: tsx bench/run.ts [--quick] [--json FILE] [--profile DIR] [--only ${Object.keys(SECTIONS).join(',')}]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { json?: string; only?: string; quick?: boolean; profile?: string };
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'string' },
        only: { type: 'string' },
        quick: { type: 'boolean' },
        profile: { type: 'string' },
      },
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const only =
    values.only
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean) ?? Object.keys(SECTIONS);
  const unknown = only.filter((name) => !Object.hasOwn(SECTIONS, name));
  if (unknown.length > 0) usage(`unknown section: ${unknown.join(', ')}`);

  if (values.profile) profileServersInto(values.profile);
  const quick = values.quick ?? false;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    quick,
    machine: machineInfo(),
    sections: {},
  };
  for (const name of only) {
    const section = SECTIONS[name];
    log(`bench: ${name}…`);
    const start = performance.now();
    try {
      report.sections[name] = await section.run({ quick, log });
    } catch (error) {
      report.sections[name] = notAvailable(section.title, (error as Error).message);
    }
    log(`bench: ${name} took ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`${renderTable(report)}\n`);
  if (values.json) {
    fs.mkdirSync(path.dirname(path.resolve(values.json)), { recursive: true });
    fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`bench: wrote ${values.json}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
