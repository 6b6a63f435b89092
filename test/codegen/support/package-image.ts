/**
 * What `npm run build` + `npm pack` would ship, limited to the client and types entry points: the
 * repository's package.json and those modules compiled with tsconfig.build.json's settings into dist/.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './generate-cli.js';

const ENTRY_POINTS = ['generated/index.ts', 'generated/client/index.ts', 'generated/types/index.ts'];

export function buildPackageImage(packageDir: string): void {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(REPO_ROOT, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const program = ts.createProgram(
    ENTRY_POINTS.map((entry) => path.join(REPO_ROOT, entry)),
    { ...config.options, outDir: path.join(packageDir, 'dist'), sourceMap: false, noEmit: false },
  );
  const result = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0) fail(errors);
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(packageDir, 'package.json'));
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  const host = {
    getCanonicalFileName: (f: string) => f,
    getCurrentDirectory: () => REPO_ROOT,
    getNewLine: () => '\n',
  };
  throw new Error(ts.formatDiagnostics(diagnostics, host));
}
