/** Writes a report file, creating its folder; a failure is one line naming the file and the reason. */
import fs from 'node:fs';
import path from 'node:path';
import { RunnerError } from './runner-error.js';

export function writeReportFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new RunnerError(
      `cannot write report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
