/** One transcript entry as a line of text, shared by the text-based reporters. */
import type { TranscriptEntry } from '../types.js';

const ARROWS: Record<TranscriptEntry['direction'], string> = { sent: '→', received: '←', event: '·' };

export function transcriptLine(entry: TranscriptEntry): string {
  const at = `${entry.at.toFixed(1)} ms`.padStart(10);
  const connection = entry.connection === 0 ? '   ' : `#${entry.connection}`.padEnd(3);
  return `${at} ${connection} ${ARROWS[entry.direction]} ${entry.kind.padEnd(6)} ${printable(entry.data, false)}`;
}

/**
 * Text from the server made safe for a terminal: control characters (which could move the cursor or
 * change colours) are shown as escapes. Line breaks are kept only where the layout allows them.
 */
export function printable(text: string, keepLineBreaks: boolean): string {
  const controls = keepLineBreaks
    ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g
    : /[\u0000-\u001f\u007f-\u009f]/g;
  return text.replace(controls, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** The last `count` entries: where a failure shows (a wait that ran out, a close). */
export function transcriptTail(entries: readonly TranscriptEntry[], count: number): TranscriptEntry[] {
  return entries.length <= count ? [...entries] : entries.slice(entries.length - count);
}

/** Consecutive frames shown as one: the first of them, how many there were and what differed. */
export interface TranscriptRun {
  entry: TranscriptEntry;
  count: number;
  /** `at` of the last frame of the run. */
  lastAt: number;
  /** Fields whose values differed between the frames (`timestamp`, `seq`); empty when all were identical. */
  varying: string[];
  /** The `seq` values of the frames, when they differed. */
  seqs: number[];
}

/** Fields that differ between otherwise repeated frames without making them different frames. */
const VOLATILE_FIELDS = /"(timestamp|seq)":("[^"]*"|\d+)/g;

function volatileValues(data: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [, field, value] of data.matchAll(VOLATILE_FIELDS)) {
    values.set(field, [...(values.get(field) ?? []), value]);
  }
  return values;
}

/**
 * Collapses runs of repeated frames (same connection, direction, kind and text, or text that differs only
 * in `timestamp` and `seq` values) into one entry with a count: twenty identical sends are one line `× 20`.
 */
export function collapseRepeats(entries: readonly TranscriptEntry[]): TranscriptRun[] {
  const runs: TranscriptRun[] = [];
  let key = '';
  for (const entry of entries) {
    const entryKey = `${entry.connection}|${entry.direction}|${entry.kind}|${entry.data.replace(VOLATILE_FIELDS, '"$1":_')}`;
    const last = runs.at(-1);
    if (last !== undefined && entryKey === key) {
      last.count++;
      last.lastAt = entry.at;
      const before = volatileValues(last.entry.data);
      for (const [field, values] of volatileValues(entry.data)) {
        if (before.get(field)?.join() !== values.join() && !last.varying.includes(field))
          last.varying.push(field);
      }
      const seq = /"seq":(\d+)/.exec(entry.data)?.[1];
      if (seq !== undefined) last.seqs.push(Number(seq));
      continue;
    }
    key = entryKey;
    const seq = /"seq":(\d+)/.exec(entry.data)?.[1];
    runs.push({
      entry,
      count: 1,
      lastAt: entry.at,
      varying: [],
      seqs: seq === undefined ? [] : [Number(seq)],
    });
  }
  for (const run of runs) if (!run.varying.includes('seq')) run.seqs = [];
  return runs;
}

/** ` × 20 (seq 1–20; timestamp differs)`, or '' for a single frame. */
export function repeatNote(run: TranscriptRun): string {
  if (run.count === 1) return '';
  const notes: string[] = [];
  if (run.seqs.length > 0) notes.push(`seq ${seqRange(run.seqs)}`);
  const others = run.varying.filter((field) => field !== 'seq');
  if (others.length > 0) notes.push(`${others.join(', ')} ${others.length === 1 ? 'differs' : 'differ'}`);
  return ` × ${run.count}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** `1–20` for consecutive numbers, else the first few listed. */
function seqRange(seqs: readonly number[]): string {
  const consecutive = seqs.every((seq, i) => i === 0 || seq === seqs[i - 1] + 1);
  if (consecutive) return `${seqs[0]}–${seqs[seqs.length - 1]}`;
  return seqs.length <= 6 ? seqs.join(', ') : `${seqs.slice(0, 5).join(', ')} … ${seqs[seqs.length - 1]}`;
}

/** A transcript run as a line of text: the first frame, then how many and what differed. */
export function transcriptRunLine(run: TranscriptRun): string {
  return `${transcriptLine(run.entry)}${repeatNote(run)}`;
}

/** A JSON frame indented for reading; any other text unchanged. */
export function prettyJson(text: string): string {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
