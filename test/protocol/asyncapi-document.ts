/** Builder: asyncapi.yaml parsed once per test file, with its diagnostics split by severity. */
import path from 'node:path';
import {
  DiagnosticSeverity,
  Parser,
  fromFile,
  type AsyncAPIDocumentInterface,
  type Diagnostic,
} from '@asyncapi/parser';
import { REPO_DIR } from './schema-files.js';

export const ASYNCAPI_PATH = path.join(REPO_DIR, 'asyncapi.yaml');

export interface ParsedAsyncApi {
  document: AsyncAPIDocumentInterface | undefined;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  infos: Diagnostic[];
}

export async function parseAsyncApi(): Promise<ParsedAsyncApi> {
  const { document, diagnostics } = await fromFile(new Parser(), ASYNCAPI_PATH).parse();
  return {
    document,
    errors: diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error),
    warnings: diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning),
    infos: diagnostics.filter((d) => d.severity > DiagnosticSeverity.Warning),
  };
}

export const describeDiagnostic = (d: Diagnostic) => `${d.code}: ${d.message} at ${d.path.join('.')}`;

/** `server` or `client` and the message type, from the payload's `$id` (`../<dir>/<type>.json`). */
export function payloadTypeOf(payload: { $id?: string } | undefined): {
  direction: 'server' | 'client';
  type: string;
} {
  const match = /(?:^|\/)(server|client)\/([a-z0-9_]+)\.json$/.exec(payload?.$id ?? '');
  if (!match) throw new Error(`payload without a message schema $id: ${payload?.$id}`);
  return { direction: match[1] as 'server' | 'client', type: match[2] };
}
