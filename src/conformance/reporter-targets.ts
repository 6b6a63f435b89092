/**
 * Where reports go: `--reporter <name>[=<file>]` (repeatable, comma lists) and `--output <file>` (the file
 * of the `--reporter` just before it), shared by the server runner and client mode. At most one reporter
 * writes to stdout; when none does, `pretty` does.
 */
import { closest, didYouMean } from './did-you-mean.js';
import { RunnerError } from './runner-error.js';
import { splitList } from './selection.js';

export interface ReporterTarget<Name extends string = string> {
  name: Name;
  /** Absolute path; undefined writes to stdout. */
  file?: string;
}

function parseReporter<Name extends string>(
  spec: string,
  names: readonly Name[],
  resolve: (file: string) => string,
): ReporterTarget<Name> {
  const at = spec.indexOf('=');
  const name = (at < 0 ? spec : spec.slice(0, at)).trim();
  if (!(names as readonly string[]).includes(name)) {
    const hint = didYouMean(closest(name, names));
    throw new RunnerError(`unknown reporter "${name}" (expected ${names.join(', ')})${hint}`);
  }
  const file = at < 0 ? '' : spec.slice(at + 1).trim();
  return file === '' ? { name: name as Name } : { name: name as Name, file: resolve(file) };
}

/**
 * The reporters of the command line (`tokens` of node:util parseArgs, in order), or else those of a config
 * file; `pretty` on stdout when none writes there.
 */
export function resolveReporters<Name extends string>(
  /** The reporter names accepted; `pretty` among them. */
  names: readonly Name[],
  tokens: ReadonlyArray<{ kind: string; name?: string; value?: string }>,
  configured: readonly string[],
  fromCwd: (file: string) => string,
  fromConfig: (file: string) => string,
): ReporterTarget<Name>[] {
  const fromCli: ReporterTarget<Name>[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'reporter') {
      for (const spec of splitList([token.value ?? ''])) fromCli.push(parseReporter(spec, names, fromCwd));
    } else if (token.name === 'output') {
      const last = fromCli.at(-1);
      if (last === undefined || last.file !== undefined) {
        throw new RunnerError('--output must follow a --reporter that has no file yet');
      }
      last.file = fromCwd(token.value ?? '');
    }
  }
  const reporters =
    fromCli.length > 0
      ? fromCli
      : splitList(configured).map((spec) => parseReporter(spec, names, fromConfig));
  const toStdout = reporters.filter((r) => r.file === undefined);
  if (toStdout.length > 1) {
    throw new RunnerError(
      `only one reporter can write to stdout (${toStdout.map((r) => r.name).join(', ')}); give the others a file`,
    );
  }
  if (toStdout.length === 0) reporters.unshift({ name: 'pretty' as Name });
  return reporters;
}
