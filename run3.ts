import { runConformance } from './src/conformance/api.js';
const [only, fault] = process.argv.slice(2);
const report = await runConformance({ only: only.split(','), faults: [fault] });
for (const c of report.checks) {
  console.log(c.id, c.outcome, c.message.slice(0, 300));
  if (c.outcome === 'fail') console.log(c.transcript.filter(e=>e.connection===3).slice(0, 40).map((e) => `${e.at} #${e.connection} ${e.direction} ${e.kind} ${e.data.slice(0, 100)}`).join('\n'));
}
