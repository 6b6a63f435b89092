/**
 * Reads asyncapi.yaml with @asyncapi/parser and turns it into the model the emitters share: per
 * channel (endpoint) its path, scope query parameters and the payload titles of the messages it
 * carries in each direction.
 */
import path from 'node:path';
import { Parser, fromFile, DiagnosticSeverity, type AsyncAPIDocumentInterface } from '@asyncapi/parser';

/** Query parameters the runtime manages itself; they are not part of a client's typed options. */
const RUNTIME_QUERY_PARAMS = new Set(['token', 'resume', 'lastSeq']);
/** Values of a query parameter whose pattern only admits decimal integers may also be given as numbers. */
const INTEGER_PATTERNS = new Set(['^[1-9][0-9]*$', '^(0|[1-9][0-9]*)$', '^[0-9]+$']);
/** The direction folder in a payload `$id` (`../server/ack.json`): where the message schema lives. */
const SCHEMA_FOLDER = /(?:^|\/)(server|client)\/[^/]+\.json$/;

export interface QueryParamModel {
  name: string;
  required: boolean;
  /** TypeScript type of the value in client options. */
  tsType: string;
  description?: string;
}

export interface MessageModel {
  /** Payload `title`: the TypeScript type name. */
  title: string;
  /** The payload's `type` constant (absent only for payloads without one). */
  type?: string;
  /** Payload `$id`: the schema file's path from the schema folder's parent, e.g. `../server/ack.json`. */
  schemaId?: string;
}

export interface EndpointModel {
  /** Channel id, which is also the endpoint name (`campaigns`, `market_data`). */
  name: string;
  /** PascalCase prefix of generated names (`Campaigns`, `MarketData`). */
  pascal: string;
  path: string;
  query: QueryParamModel[];
  server: MessageModel[];
  client: MessageModel[];
}

export interface SpecModel {
  specPath: string;
  document: AsyncAPIDocumentInterface;
  endpoints: EndpointModel[];
}

/** The document does not parse or validate; `messages` are the parser's diagnostics with locations. */
export class SpecError extends Error {
  constructor(readonly messages: readonly string[]) {
    super(messages.join('\n'));
    this.name = 'SpecError';
  }
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

export async function parseSpec(specPath: string): Promise<SpecModel> {
  const absolute = path.resolve(specPath);
  const parser = new Parser();
  let result;
  try {
    // fromFile resolves relative $refs against the document's folder, not the working directory.
    result = await fromFile(parser, absolute).parse();
  } catch (error) {
    throw new SpecError([
      `${relativeName(absolute)}: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  const errors = result.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (!result.document || errors.length > 0) {
    const shown = errors.length > 0 ? errors : result.diagnostics;
    throw new SpecError(
      shown.map((d) => {
        const where = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : '1:1';
        const source = d.source && d.source !== absolute ? relativeName(d.source) : relativeName(absolute);
        const pointer = d.path.length > 0 ? ` at /${d.path.join('/')}` : '';
        return `${source}:${where} ${d.code}: ${d.message}${pointer}`;
      }),
    );
  }
  const document = result.document;
  return { specPath: absolute, document, endpoints: endpointModels(document, absolute) };
}

function endpointModels(document: AsyncAPIDocumentInterface, specPath: string): EndpointModel[] {
  const receivedIds = new Set<string>();
  for (const operation of document.operations().all()) {
    // Operations are written from the client's side: `receive` carries server→client messages.
    if (operation.action() === 'receive') for (const m of operation.messages().all()) receivedIds.add(m.id());
  }
  const problems: string[] = [];
  const endpoints = document
    .channels()
    .all()
    .map((channel): EndpointModel => {
      const name = channel.id();
      const server: MessageModel[] = [];
      const client: MessageModel[] = [];
      for (const message of channel.messages().all()) {
        const payload = message.payload()?.json() as Record<string, unknown> | undefined;
        const title = typeof payload?.title === 'string' ? payload.title : undefined;
        if (!payload || !title) {
          problems.push(
            `${relativeName(specPath)}: channel ${name}, message ${message.id()}: the payload needs a "title" (it names the TypeScript type)`,
          );
          continue;
        }
        const schemaId = typeof payload.$id === 'string' ? payload.$id : undefined;
        const typeProperty = (payload.properties as Record<string, { const?: unknown }> | undefined)?.type;
        const model: MessageModel = {
          title,
          type: typeof typeProperty?.const === 'string' ? typeProperty.const : undefined,
          schemaId,
        };
        const folder = SCHEMA_FOLDER.exec(schemaId ?? '')?.[1] as 'server' | 'client' | undefined;
        const direction = folder ?? (receivedIds.has(message.id()) ? 'server' : 'client');
        (direction === 'server' ? server : client).push(model);
      }
      return {
        name,
        pascal: pascalCase(name),
        path: channel.address() ?? '',
        query: queryParams(channel.bindings().get('ws')?.value()),
        server,
        client,
      };
    });
  if (problems.length > 0) throw new SpecError(problems);
  return endpoints;
}

function queryParams(binding: unknown): QueryParamModel[] {
  const query = (binding as { query?: { properties?: Record<string, unknown>; required?: string[] } })?.query;
  const required = new Set(query?.required ?? []);
  return Object.entries(query?.properties ?? {})
    .filter(([name]) => !RUNTIME_QUERY_PARAMS.has(name))
    .map(([name, schema]) => {
      const s = schema as { type?: string; pattern?: string; enum?: unknown[]; description?: string };
      return { name, required: required.has(name), tsType: queryTsType(s), description: s.description };
    });
}

function queryTsType(schema: { type?: string; pattern?: string; enum?: unknown[] }): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.type === 'integer' || schema.type === 'number') return 'number | string';
  if (schema.type === 'boolean') return 'boolean';
  if (schema.pattern !== undefined && INTEGER_PATTERNS.has(schema.pattern)) return 'number | string';
  return 'string';
}

function relativeName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}
