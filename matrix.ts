import { runConformance } from './src/conformance/api.js';
import { FAULT_IDS } from './src/server/faults/index.js';
import { readRequirements } from './src/protocol/requirements.js';
const levels = new Map(readRequirements().map((r) => [r.id, r.level]));
const ids = process.argv[2] ? process.argv[2].split(',') : [...FAULT_IDS];
const CONC = Number(process.env.CONC ?? 4);
let next = 0;
const results: string[] = [];
async function worker() {
  while (next < ids.length) {
    const id = ids[next++];
    try {
      const report = await runConformance({ faults: [id] });
      const expected = levels.get(id) === 'MUST' ? 'fail' : 'warn';
      const bad = report.checks.filter((c) =>
        c.id === id ? c.outcome !== expected : !(c.outcome === 'pass' || c.outcome === 'skip' || (c.outcome === 'blocked' && c.blockedBy === id)),
      );
      const own = report.checks.find((c) => c.id === id);
      if (bad.length === 0) results.push(`ok   ${id}: ${own?.message.slice(0, 150)}`);
      else results.push(`BAD  ${id}: ` + bad.map((c) => `${c.id} ${c.outcome}${c.blockedBy ? '(' + c.blockedBy + ')' : ''}: ${c.message.slice(0, 200)}`).join('\n        '));
    } catch (e) { results.push(`ERR  ${id}: ${(e as Error).message}`); }
  }
}
await Promise.all(Array.from({ length: CONC }, worker));
console.log(results.sort().join('\n'));
