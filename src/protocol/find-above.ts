/**
 * Files of the repository (schemas/, docs/protocol.md) found from this module's location, so the
 * lookup works from src/ and from dist/ alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many folders above this module are searched: enough for dist/src/protocol/ in an installed package. */
const MAX_LEVELS_UP = 5;

/** The folder of this module, where the search starts. */
export const SEARCH_START = path.dirname(fileURLToPath(import.meta.url));

/** `relative` in this module's folder or the nearest ancestor that has it; undefined when none does. */
export function findAbove(relative: string): string | undefined {
  let dir = SEARCH_START;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
