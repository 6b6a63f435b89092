/**
 * generated/asyncapi.bundled.json (written by `npm run generate`, kept fresh by stale.test.ts) is one
 * self-contained AsyncAPI document: tools read it with no access to schemas/ and no network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { refsIn } from '../../src/codegen/bundle.js';
import { REPO_ROOT } from './support/generate-cli.js';

const BUNDLED = path.join(REPO_ROOT, 'generated/asyncapi.bundled.json');
const SCHEMAS = path.join(REPO_ROOT, 'schemas');

/** Every schema file with its `file:` URL. */
function schemaFiles(): Array<{ url: string; schema: Record<string, unknown> }> {
  return fs
    .readdirSync(SCHEMAS, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      url: pathToFileURL(path.join(SCHEMAS, file)).href,
      schema: JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf8')) as Record<string, unknown>,
    }));
}

describe('the bundled AsyncAPI document', () => {
  it('parses without reading a file or the network, with every channel of asyncapi.yaml', async () => {
    const reads: string[] = [];
    const refuse = (schema: string) => ({
      schema,
      read: (uri: { toString(): string }) => {
        reads.push(uri.toString());
        throw new Error(`no ${schema} access expected, got a read of ${uri.toString()}`);
      },
    });
    const parser = new Parser({
      __unstable: { resolver: { resolvers: [refuse('file'), refuse('http'), refuse('https')] } },
    });
    const { document, diagnostics } = await parser.parse(fs.readFileSync(BUNDLED, 'utf8'));
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);
    expect(reads).toEqual([]);
    const source = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'asyncapi.yaml'), 'utf8')) as {
      channels: Record<string, unknown>;
    };
    const channelIds = document
      ?.channels()
      .all()
      .map((channel) => channel.id());
    expect(channelIds).toEqual(Object.keys(source.channels));
  });

  it('carries each message payload as its schema file, by title', async () => {
    const titles = new Map(schemaFiles().map(({ schema }) => [schema.$id, schema.title]));
    const bundled = JSON.parse(fs.readFileSync(BUNDLED, 'utf8')) as {
      components: { messages: Record<string, { payload: { $id?: string; title?: string } }> };
    };
    const payloads = Object.values(bundled.components.messages).map((m) => m.payload);
    expect(payloads.length).toBeGreaterThan(0);
    for (const payload of payloads) {
      expect(payload.$id && titles.get(payload.$id), JSON.stringify(payload).slice(0, 80)).toBe(
        payload.title,
      );
    }
    expect(refsIn(bundled).filter((ref) => !ref.startsWith('#'))).toEqual([]);
  });
});

describe('schema files', () => {
  it('resolve every $ref, relative to the file itself, to another schema file', () => {
    const urls = new Set(schemaFiles().map((file) => file.url));
    for (const { url, schema } of schemaFiles()) {
      for (const ref of refsIn(schema).filter((r) => !r.startsWith('#'))) {
        expect(urls.has(new URL(ref, url).href.replace(/#.*$/, '')), `${url}: ${ref}`).toBe(true);
      }
    }
  });
});
