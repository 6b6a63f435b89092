/**
 * TypeScript types of every message, by json-schema-to-typescript over the same schema files ajv
 * validates, plus per endpoint the discriminated unions by `type` for each direction.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { banner } from './banner.js';
import { SpecError, type EndpointModel, type SpecModel } from './spec.js';

/** Schema folders whose files are messages; `common/` holds the parts they reference. */
const MESSAGE_DIRS = ['server', 'client'] as const;
/** Name of the synthetic root schema that references every message; it is not emitted. */
const ROOT_TITLE = 'TidewireSchemaIndex';
/** Keywords that draft-07 ignores beside `$ref` (and that would make a renamed copy of the target). */
const REF_ANNOTATIONS = ['description', 'title', 'examples', '$comment', 'default'];

export interface SchemaFile {
  /** Path relative to the schema folder, posix separators (`server/ack.json`). */
  file: string;
  schema: Record<string, unknown>;
}

/** Every schema file under server/, client/ and common/, in a stable order. */
export function readSchemaFiles(schemaDir: string): SchemaFile[] {
  const files: SchemaFile[] = [];
  for (const sub of ['common', ...MESSAGE_DIRS]) {
    const dir = path.join(schemaDir, sub);
    if (!fs.existsSync(dir)) throw new SpecError([`${dir}: schema folder missing`]);
    for (const name of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const full = path.join(dir, name);
      let schema: Record<string, unknown>;
      try {
        schema = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new SpecError([`${full}: ${error instanceof Error ? error.message : String(error)}`]);
      }
      files.push({ file: `${sub}/${name}`, schema });
    }
  }
  return files;
}

/** Emits `types/messages.ts`, one `types/<endpoint>.ts` per endpoint and `types/index.ts`. */
export async function emitTypes(
  spec: SpecModel,
  schemaDir: string,
  schemas: readonly SchemaFile[],
  sourceName: string,
  moduleName: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const titles = new Set(
    schemas.map((s) => s.schema.title).filter((t): t is string => typeof t === 'string'),
  );
  const messages = await compileMessages(schemaDir, schemas, sourceName);
  const declared = [...messages.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1]);
  const renamed = declared.filter((name) => !titles.has(name));
  if (renamed.length > 0) {
    throw new SpecError(
      renamed.map(
        (name) => `${schemaDir}: type ${name} has no schema with that title (two schemas share a title?)`,
      ),
    );
  }
  out.set('types/messages.ts', messages);
  const declaredSet = new Set(declared);
  for (const endpoint of spec.endpoints) {
    const missing = [...endpoint.server, ...endpoint.client].filter((m) => !declaredSet.has(m.title));
    if (missing.length > 0) {
      throw new SpecError(
        missing.map(
          (m) => `channel ${endpoint.name}: message payload "${m.title}" is not a schema under ${schemaDir}`,
        ),
      );
    }
    out.set(`types/${endpoint.name}.ts`, endpointTypes(endpoint, sourceName));
  }
  const index = [
    banner(sourceName, 'Message types and per-endpoint unions.', moduleName),
    `export * from './messages.js';`,
    ...spec.endpoints.map((e) => `export * from './${e.name}.js';`),
    '',
  ].join('\n');
  out.set('types/index.ts', index);
  return out;
}

async function compileMessages(
  schemaDir: string,
  schemas: readonly SchemaFile[],
  sourceName: string,
): Promise<string> {
  const properties: Record<string, JSONSchema> = {};
  for (const { file } of schemas) {
    if (!file.startsWith('common/')) properties[file] = { $ref: file };
  }
  const root: JSONSchema = { title: ROOT_TITLE, type: 'object', properties, additionalProperties: false };
  const ts = await compile(root, ROOT_TITLE, {
    cwd: schemaDir,
    declareExternallyReferenced: true,
    bannerComment: banner(
      sourceName,
      'One type per message schema; the schema `title` is the type name.',
    ).trimEnd(),
    format: false,
    unreachableDefinitions: false,
    $refOptions: {
      resolve: {
        http: false,
        tidewire: schemaResolver(),
      },
    } as never,
  });
  return stripRoot(ts);
}

/**
 * Reads schema files for the ref parser from the local folder only (no network), and drops annotations
 * beside a `$ref`, as draft-07 does, so each title is declared once. Refs are relative file paths.
 */
function schemaResolver() {
  const toPath = (url: string): string => (url.startsWith('file:') ? fileURLToPath(url) : decodeURI(url));
  return {
    order: 1,
    canRead: (file: { url: string }) =>
      !/^[a-z][a-z0-9+.-]*:\/\//i.test(file.url) || file.url.startsWith('file:'),
    read: (file: { url: string }) => {
      const text = fs.readFileSync(toPath(file.url.replace(/#.*$/, '')), 'utf8');
      return Buffer.from(JSON.stringify(withoutRefAnnotations(JSON.parse(text))));
    },
  };
}

function withoutRefAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRefAnnotations);
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const isRef = typeof record.$ref === 'string';
  for (const [key, value] of Object.entries(record)) {
    if (isRef && REF_ANNOTATIONS.includes(key)) continue;
    out[key] = key === 'examples' || key === 'const' || key === 'enum' ? value : withoutRefAnnotations(value);
  }
  return out;
}

/** Removes the synthetic root interface from the compiler output. */
function stripRoot(ts: string): string {
  const start = ts.indexOf(`export interface ${ROOT_TITLE} {`);
  if (start < 0) return ts;
  const end = ts.indexOf('\n}\n', start);
  const commentStart = ts.lastIndexOf('/**', start);
  const from =
    commentStart >= 0 && ts.slice(commentStart, start).trim().endsWith('*/') ? commentStart : start;
  return (ts.slice(0, from) + ts.slice(end + 3)).replace(/\n{3,}/g, '\n\n');
}

function endpointTypes(endpoint: EndpointModel, sourceName: string): string {
  const { pascal, name, path: address } = endpoint;
  const imports = [...new Set([...endpoint.server, ...endpoint.client].map((m) => m.title))].sort();
  const union = (titles: string[]) =>
    titles.length > 0 ? titles.map((t) => `\n  | ${t}`).join('') : ' never';
  const map = (direction: 'server' | 'client') =>
    endpoint[direction]
      .filter((m) => m.type !== undefined)
      .map((m) => `  ${JSON.stringify(m.type)}: ${m.title};`)
      .join('\n');
  const query = endpoint.query
    .map((p) => {
      const doc = p.description ? `  /** ${escapeComment(p.description)} */\n` : '';
      return `${doc}  ${p.name}${p.required ? '' : '?'}: ${p.tsType};`;
    })
    .join('\n');
  return [
    banner(sourceName, `Message unions of the \`${name}\` endpoint (${address}).`),
    `import type { ${imports.join(', ')} } from './messages.js';`,
    '',
    `/** Every message the server sends on \`${address}\`, discriminated by \`type\`. */`,
    `export type ${pascal}ServerMessage =${union(endpoint.server.map((m) => m.title))};`,
    '',
    `/** Every message a client sends on \`${address}\`. */`,
    `export type ${pascal}ClientMessage =${union(endpoint.client.map((m) => m.title))};`,
    '',
    `/** Server messages of \`${address}\` by their \`type\`. */`,
    `export interface ${pascal}ServerMessages {`,
    map('server'),
    '}',
    '',
    `/** Client messages of \`${address}\` by their \`type\`. */`,
    `export interface ${pascal}ClientMessages {`,
    map('client'),
    '}',
    '',
    `/** Scope query parameters of \`${address}\` (token, resume and lastSeq are managed by the client). */`,
    `export type ${pascal}Query = {`,
    query,
    '};',
    '',
  ]
    .filter((line, i, lines) => !(line === '' && lines[i - 1] === '{'))
    .join('\n');
}

function escapeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}
