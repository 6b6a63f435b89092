/**
 * The source documents' code blocks, read byte for byte at test time. A block is found by a marker (the
 * exact heading line above it and its index among the blocks under that heading) and pinned by the
 * SHA-256 of its content, so a changed, moved or missing block fails loudly instead of testing something
 * else.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type SourceId = '001' | '003' | '004';

export interface BlockMarker {
  source: SourceId;
  /** The heading line the block follows, exactly as written (`### نمونه اتصال`). */
  heading: string;
  /** 1 for the first code block after the heading, 2 for the second… (before the next heading). */
  block: number;
  /** SHA-256 (hex) of the block's content: the lines between its fences, newline-terminated. */
  sha256: string;
}

const SOURCE_FILES: Record<SourceId, string> = {
  '001': '001_afe9d1f628a6a13e.md',
  '003': '003_0edcf0dec0022087.md',
  '004': '004_597250a66c958c23.md',
};

/**
 * The folder of the source documents: `TIDEWIRE_SEEDS_DIR`, else `shared/seeds` in the repository's
 * folder or one above it (the layout of the project's checkouts).
 */
export function seedsDir(): string {
  const fromEnv = process.env.TIDEWIRE_SEEDS_DIR;
  if (fromEnv) return fromEnv;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 8; level++) {
    const candidate = path.join(dir, 'shared', 'seeds');
    if (fs.existsSync(path.join(candidate, SOURCE_FILES['001']))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(
    'cannot find the source documents (shared/seeds/ above the repository); set TIDEWIRE_SEEDS_DIR',
  );
}

const cache = new Map<SourceId, string[]>();

function lines(source: SourceId): string[] {
  let cached = cache.get(source);
  if (!cached) {
    cached = fs.readFileSync(path.join(seedsDir(), SOURCE_FILES[source]), 'utf8').split('\n');
    cache.set(source, cached);
  }
  return cached;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Where a marker points, for messages: `003 "## 2. React Hook Usage Example" block 1`. */
export function describeMarker(marker: BlockMarker): string {
  return `${marker.source} "${marker.heading}" block ${marker.block}`;
}

/** The block's content, byte for byte; throws when the marker finds nothing or the content changed. */
export function extractBlock(marker: BlockMarker): { code: string; language: string } {
  const all = lines(marker.source);
  const headings = all.flatMap((line, index) => (line === marker.heading ? [index] : []));
  const where = describeMarker(marker);
  if (headings.length !== 1) {
    throw new Error(
      `seed ${where}: the heading occurs ${headings.length} times in ${SOURCE_FILES[marker.source]}`,
    );
  }
  let found = 0;
  for (let index = headings[0] + 1; index < all.length; index++) {
    const line = all[index];
    if (/^#{1,6} /.test(line)) break;
    if (!line.startsWith('```')) continue;
    const close = all.findIndex((candidate, at) => at > index && candidate.startsWith('```'));
    if (close < 0) throw new Error(`seed ${where}: a code block that never closes`);
    found += 1;
    if (found === marker.block) {
      const code = all
        .slice(index + 1, close)
        .map((text) => `${text}\n`)
        .join('');
      const actual = sha256(code);
      if (actual !== marker.sha256) {
        throw new Error(`seed ${where} changed: its SHA-256 is ${actual}, the test expects ${marker.sha256}`);
      }
      return { code, language: line.slice(3).trim() };
    }
    index = close;
  }
  throw new Error(`seed ${where}: only ${found} code blocks under that heading`);
}

/** Every code block of a source document: its heading, its index under it and its fence's language. */
export function listBlocks(source: SourceId): Array<{ heading: string; block: number; language: string }> {
  const blocks: Array<{ heading: string; block: number; language: string }> = [];
  let heading = '';
  let index = 0;
  let inside = false;
  for (const line of lines(source)) {
    if (!inside && /^#{1,6} /.test(line)) {
      heading = line;
      index = 0;
    }
    if (!line.startsWith('```')) continue;
    if (!inside) {
      index += 1;
      blocks.push({ heading, block: index, language: line.slice(3).trim() });
    }
    inside = !inside;
  }
  return blocks;
}
