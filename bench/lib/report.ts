/**
 * What a bench section hands back, and how the whole run is printed and written as JSON. Figures and
 * the ratios between them come from the same run, measured side by side, so a ratio never mixes machines.
 */
import os from 'node:os';

export interface Target {
  /** What is compared, e.g. `parse+validate / parse`. */
  name: string;
  /** The target in words, e.g. `≥ 0.5`. */
  target: string;
  actual: number;
  pass: boolean;
}

export interface Figure {
  value: number;
  unit: string;
}

/** What every section is run with. */
export interface SectionContext {
  /** Small sizes and short windows: a smoke run whose figures are not meaningful. */
  quick: boolean;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export type SectionResult =
  | {
      status: 'ok';
      title: string;
      figures: Record<string, Figure>;
      ratios: Record<string, number>;
      targets: Target[];
      notes: string[];
    }
  | { status: 'not available'; title: string; reason: string };

export interface BenchReport {
  startedAt: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    platform: string;
    /** One-minute load average when the run started: above the core count, other jobs shared the cores. */
    loadAverage: number;
  };
  sections: Record<string, SectionResult>;
}

export function machineInfo(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/** Collects a section's figures, ratios and targets while it runs. */
export class SectionBuilder {
  private readonly figures: Record<string, Figure> = {};
  private readonly ratios: Record<string, number> = {};
  private readonly targets: Target[] = [];
  private readonly notes: string[] = [];

  constructor(private readonly title: string) {}

  figure(name: string, value: number, unit: string): this {
    this.figures[name] = { value, unit };
    return this;
  }

  ratio(name: string, value: number): this {
    this.ratios[name] = value;
    return this;
  }

  /** A target of the form `actual ≥ minimum`. */
  atLeast(name: string, actual: number, minimum: number, label = `≥ ${minimum}`): this {
    this.targets.push({ name, target: label, actual, pass: actual >= minimum });
    return this;
  }

  /** A target of the form `actual > minimum` ("ahead of"). */
  above(name: string, actual: number, minimum: number): this {
    this.targets.push({ name, target: `> ${minimum}`, actual, pass: actual > minimum });
    return this;
  }

  /** A target of the form `actual < maximum` (or `≤` when `inclusive`). */
  atMost(name: string, actual: number, maximum: number, inclusive: boolean, label?: string): this {
    const pass = inclusive ? actual <= maximum : actual < maximum;
    this.targets.push({ name, target: label ?? `${inclusive ? '≤' : '<'} ${maximum}`, actual, pass });
    return this;
  }

  note(text: string): this {
    this.notes.push(text);
    return this;
  }

  build(): SectionResult {
    return {
      status: 'ok',
      title: this.title,
      figures: this.figures,
      ratios: this.ratios,
      targets: this.targets,
      notes: this.notes,
    };
  }
}

export function notAvailable(title: string, reason: string): SectionResult {
  return { status: 'not available', title, reason };
}

/** Three significant digits, with thousands separators for large values. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (Number.isInteger(value) || abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

export function renderTable(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(
    `Tidewire bench — ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average ${m.loadAverage}`,
  );
  lines.push(report.quick ? '(quick run: small sizes, figures are only a smoke test)' : '');
  for (const [name, section] of Object.entries(report.sections)) {
    lines.push('');
    lines.push(`## ${name} — ${section.title}`);
    if (section.status === 'not available') {
      lines.push(`  not available: ${section.reason}`);
      continue;
    }
    const rows: string[][] = [];
    for (const [figure, { value, unit }] of Object.entries(section.figures)) {
      rows.push([figure, formatNumber(value), unit]);
    }
    for (const [ratio, value] of Object.entries(section.ratios))
      rows.push([ratio, formatNumber(value), 'ratio']);
    const width = Math.max(...rows.map((row) => row[0].length), 10);
    for (const row of rows) lines.push(`  ${row[0].padEnd(width)}  ${row[1].padEnd(14)} ${row[2]}`);
    for (const target of section.targets) {
      lines.push(
        `  [${target.pass ? 'pass' : 'FAIL'}] ${target.name}: ${formatNumber(target.actual)} (target ${target.target})`,
      );
    }
    for (const note of section.notes) lines.push(`  note: ${note}`);
  }
  return lines.join('\n');
}
