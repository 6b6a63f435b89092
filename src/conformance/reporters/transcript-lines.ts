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
