/**
 * The Socket.IO binding's catalogue (src/protocol/socketio.ts), its client event schemas and its channels
 * in asyncapi.yaml agree: each client payload schema is its WebSocket message's schema without `type` and
 * `id`, every event of a namespace is a message of its channel with the right schema, and every example
 * of those messages is valid.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChannelInterface } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSocketIoChannel } from '../../src/codegen/socketio-channels.js';
import {
  CLIENT_EVENTS,
  ERROR_EVENT,
  ESTABLISHED_EVENT,
  NAMESPACES,
  clientEventsOf,
  serverDataEventsOf,
  toMessage,
} from '../../src/protocol/socketio.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';
import { SocketIoSchemas } from '../../src/protocol/socketio-schemas.js';
import { parseAsyncApi, type ParsedAsyncApi } from '../protocol/asyncapi-document.js';
import { SCHEMAS_DIR } from '../protocol/schema-files.js';

const SOCKETIO_DIR = path.join(SCHEMAS_DIR, 'socketio-client');
const schemas = SocketIoSchemas.shared();
type Schema = Record<string, unknown> & {
  properties: Record<string, unknown>;
  required?: string[];
  examples: unknown[];
};
const read = (file: string): Schema => JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
const eventFiles = fs.readdirSync(SOCKETIO_DIR).filter((f) => f.endsWith('.json'));

let parsed: ParsedAsyncApi;
beforeAll(async () => {
  parsed = await parseAsyncApi();
});

describe('the client event schemas of the Socket.IO binding', () => {
  it('exist for every client event, and every one of them is used', () => {
    const types = new Set(CLIENT_EVENTS.map((spec) => spec.type));
    expect(eventFiles.map((f) => f.slice(0, -'.json'.length)).sort()).toEqual([...types].sort());
  });

  it.each(eventFiles)('%s is its WebSocket message schema without type and id', (file) => {
    const event = read(path.join(SOCKETIO_DIR, file));
    const message = read(path.join(SCHEMAS_DIR, 'client', file));
    const spec = CLIENT_EVENTS.find((s) => `${s.type}.json` === file)!;
    const rename = (name: string) =>
      spec.contentTypeField && name === 'contentType' ? spec.contentTypeField : name;
    const expected = Object.fromEntries(
      Object.entries(message.properties)
        .filter(([name]) => name !== 'type' && name !== 'id')
        .map(([name, value]) => [rename(name), value]),
    );
    expect(event.properties).toEqual(expected);
    expect(event.required ?? []).toEqual((message.required ?? []).filter((n) => n !== 'type').map(rename));
    expect(event).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `../socketio-client/${file}`,
      title: expect.stringMatching(/^[A-Z][A-Za-z]*Event$/),
      description: expect.any(String),
      additionalProperties: false,
    });
  });

  it.each(CLIENT_EVENTS.map((spec) => [spec.event, spec] as const))(
    '%s: its examples are valid, and as WebSocket messages too',
    (_event, spec) => {
      const { examples } = read(path.join(SOCKETIO_DIR, `${spec.type}.json`));
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        expect(schemas.validateClientPayload(spec.type, example)).toEqual({ ok: true });
        const message = toMessage(spec, example as Record<string, unknown>);
        expect(SchemaRegistry.shared().validate(spec.endpoint, 'client', message)).toEqual({ ok: true });
      }
    },
  );

  it('refuses an undeclared field and a wrong type at their paths', () => {
    expect(schemas.validateClientPayload('chat_join', { conversationId: 12, extra: true })).toMatchObject({
      ok: false,
      issues: [{ path: '/' }],
    });
    expect(
      schemas.validateClientPayload('chat_message', { conversationId: 12, content: 'x', type: 'video' }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: '/type' }],
    });
    expect(schemas.validateClientPayload('project_join', 'not an object')).toMatchObject({ ok: false });
  });
});

describe('asyncapi.yaml and the Socket.IO catalogue', () => {
  const channelOf = (id: string): ChannelInterface => parsed.document!.channels().get(id)!;
  const names = (channel: ChannelInterface, action: 'send' | 'receive') =>
    channel
      .operations()
      .all()
      .filter((op) => op.action() === action)
      .flatMap((op) =>
        op
          .messages()
          .all()
          .map((m) => m.name()),
      );

  it('have one channel per namespace, served only by the Socket.IO servers', () => {
    const channels = parsed.document!.channels().all().filter(isSocketIoChannel);
    expect(channels.map((c) => [c.id(), c.address()])).toEqual(NAMESPACES.map((n) => [n.id, n.name]));
  });

  it.each(NAMESPACES.map((n) => [n.name, n] as const))('agree on the events of %s', (_name, namespace) => {
    const channel = channelOf(namespace.id);
    expect(names(channel, 'receive').sort()).toEqual(
      [ESTABLISHED_EVENT, ERROR_EVENT, ...serverDataEventsOf(namespace).keys()].sort(),
    );
    expect(names(channel, 'send').sort()).toEqual([...clientEventsOf(namespace).keys()].sort());
    for (const operation of channel
      .operations()
      .all()
      .filter((op) => op.action() === 'send')) {
      const replies = operation.reply()!.messages().all();
      expect(replies.map((m) => (m.payload()?.json() as { $id: string }).$id)).toEqual([
        '../server/ack.json',
        '../server/error.json',
      ]);
    }
  });

  it.each(NAMESPACES.map((n) => [n.name, n] as const))('%s: every example is valid', (_name, namespace) => {
    const channel = channelOf(namespace.id);
    let checked = 0;
    for (const operation of channel.operations().all()) {
      for (const message of operation.messages().all()) {
        for (const example of message.examples().all()) {
          const payload = example.payload();
          const event = message.name()!;
          const result =
            operation.action() === 'receive'
              ? schemas.validateServerEvent(namespace, event, payload)
              : schemas.validateClientPayload(clientEventsOf(namespace).get(event)!.type, payload);
          expect(result, `${namespace.name} ${event}`).toEqual({ ok: true });
          checked++;
        }
      }
      for (const reply of operation.reply()?.messages().all() ?? []) {
        for (const example of reply.examples().all())
          expect(schemas.validateReply(example.payload())).toEqual({ ok: true });
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
