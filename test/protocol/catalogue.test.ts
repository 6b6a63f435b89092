import { beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, clientTypes, serverTypes } from '../../src/protocol/endpoints.js';
import { parseAsyncApi, payloadTypeOf, webSocketChannels, type ParsedAsyncApi } from './asyncapi-document.js';

let parsed: ParsedAsyncApi;
beforeAll(async () => {
  parsed = await parseAsyncApi();
});

/** A channel's message types per direction, read from the payload schemas. */
function channelTypes(channelId: string) {
  const channel = parsed.document!.channels().get(channelId)!;
  const types = { server: [] as string[], client: [] as string[], address: channel.address() };
  for (const message of channel.messages().all()) {
    const { direction, type } = payloadTypeOf(message.payload()?.json());
    types[direction].push(type);
  }
  return types;
}

describe('asyncapi.yaml and src/protocol/endpoints.ts', () => {
  it('have the same endpoints', () => {
    const channels = webSocketChannels(parsed.document!).map((c) => c.id());
    expect(channels.sort()).toEqual(ENDPOINTS.map((e) => e.name).sort());
  });

  it.each(ENDPOINTS.map((e) => [e.name, e] as const))(
    'agree on %s: path and message types per direction',
    (name, spec) => {
      const types = channelTypes(name);
      expect(types.address).toBe(spec.path);
      expect(types.server.sort()).toEqual(serverTypes(spec).sort());
      expect(types.client.sort()).toEqual(clientTypes(spec).sort());
    },
  );

  it.each(ENDPOINTS.map((e) => [e.name, e] as const))(
    'agree on %s: handshake query parameters',
    (name, spec) => {
      const query = parsed.document!.channels().get(name)!.bindings().get('ws')!.value().query as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      const expected = [...spec.params.map((p) => p.name), 'token', 'resume', 'lastSeq'];
      expect(Object.keys(query.properties).sort()).toEqual(expected.sort());
      expect((query.required ?? []).sort()).toEqual(
        spec.params
          .filter((p) => p.required)
          .map((p) => p.name)
          .sort(),
      );
    },
  );

  it('receives every server message and sends every client message through an operation', () => {
    for (const spec of ENDPOINTS) {
      const operations = parsed.document!.channels().get(spec.name)!.operations().all();
      const sent = operations.filter((op) => op.action() === 'send').flatMap((op) => op.messages().all());
      const received = operations
        .filter((op) => op.action() === 'receive')
        .flatMap((op) => op.messages().all());
      expect(received.map((m) => payloadTypeOf(m.payload()?.json()).type).sort()).toEqual(
        serverTypes(spec).sort(),
      );
      expect(sent.map((m) => payloadTypeOf(m.payload()?.json()).type).sort()).toEqual(
        clientTypes(spec).sort(),
      );
    }
  });
});
