import { beforeAll, describe, expect, it } from 'vitest';
import type { EndpointName } from '../../src/protocol/endpoints.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import {
  describeDiagnostic,
  parseAsyncApi,
  payloadTypeOf,
  webSocketChannels,
  type ParsedAsyncApi,
} from './asyncapi-document.js';

let parsed: ParsedAsyncApi;
beforeAll(async () => {
  parsed = await parseAsyncApi();
});

describe('asyncapi.yaml', () => {
  it('parses without errors', () => {
    expect(parsed.errors.map(describeDiagnostic)).toEqual([]);
    expect(parsed.document).toBeDefined();
  });

  it('parses without warnings (the one information notice is the newer 3.1.0 release, see docs/protocol.md)', () => {
    expect(parsed.warnings.map(describeDiagnostic)).toEqual([]);
    expect(parsed.infos.map((d) => d.code)).toEqual(['asyncapi-latest-version']);
  });

  it('has every message example valid against its schema on its channel', () => {
    const registry = SchemaRegistry.shared();
    let checked = 0;
    for (const channel of webSocketChannels(parsed.document!)) {
      const endpoint = channel.id() as EndpointName;
      for (const message of channel.messages().all()) {
        const { direction } = payloadTypeOf(message.payload()?.json());
        for (const example of message.examples().all()) {
          expect(
            registry.validate(endpoint, direction, example.payload()),
            `${endpoint} ${message.id()}`,
          ).toEqual({ ok: true });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('answers requests with a reply on the same channel', () => {
    const withReply = parsed
      .document!.operations()
      .filterBySend()
      .filter((op) => op.reply());
    expect(withReply.length).toBeGreaterThan(0);
    for (const operation of withReply) {
      expect(operation.reply()!.channel()?.address()).toBe(operation.channels().all()[0].address());
      expect(operation.reply()!.messages().length).toBeGreaterThan(0);
    }
  });
});
