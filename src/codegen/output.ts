/**
 * Generated output is written to a staging folder next to the target and swapped in only when every
 * step succeeded, so a failed run leaves the previous output untouched.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A fresh staging folder beside `outDir` (same file system, so the swap is a rename). */
export function createStaging(outDir: string): string {
  const parent = path.dirname(path.resolve(outDir));
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `.${path.basename(outDir)}-staging-`));
}

export function writeFiles(root: string, files: ReadonlyMap<string, string>): void {
  for (const [relative, content] of files) {
    const target = path.join(root, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
}

/** Every file under `root`, relative with posix separators, sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(toPosix(path.relative(root, full)));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out.sort();
}

/** A relative path with `/` separators, as generated files and banners name paths on every platform. */
export function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** Replaces `outDir` with `staging`; on failure the previous `outDir` is restored. */
export function swapInto(staging: string, outDir: string): void {
  const target = path.resolve(outDir);
  const previous = `${staging}-previous`;
  const hadPrevious = fs.existsSync(target);
  if (hadPrevious) fs.renameSync(target, previous);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    if (hadPrevious) fs.renameSync(previous, target);
    throw error;
  }
  if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
}

export function removeStaging(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}
