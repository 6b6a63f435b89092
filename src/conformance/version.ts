/** The tool's version and its package folder, found from this module (works from src/ and from dist/). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let found: { root: string; version: string } | null | undefined;

function findPackage(): { root: string; version: string } | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tidewire' && typeof pkg.version === 'string')
        return { root: dir, version: pkg.version };
    }
    dir = path.dirname(dir);
  }
  return null;
}

/** The folder of the installed `tidewire` package (or of this repository); undefined when not found. */
export function packageRoot(): string | undefined {
  found ??= findPackage();
  return found?.root;
}

export function toolVersion(): string {
  found ??= findPackage();
  return found?.version ?? '0.0.0';
}
