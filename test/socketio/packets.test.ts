/** The runner's Engine.IO and Socket.IO packet codec, fed with text, no sockets. */
import { describe, expect, it } from 'vitest';
import {
  decodeEnginePacket,
  encodeSocketPacket,
  SocketType,
} from '../../src/conformance/socketio/packets.js';

describe('Engine.IO and Socket.IO packets', () => {
  it('decodes the open packet, heartbeats and close', () => {
    expect(decodeEnginePacket('0{"sid":"a","pingInterval":25000}')).toEqual({
      kind: 'open',
      data: { sid: 'a', pingInterval: 25000 },
    });
    expect(['2', '3', '1', '6'].map((text) => decodeEnginePacket(text).kind)).toEqual([
      'ping',
      'pong',
      'close',
      'noop',
    ]);
  });

  it('decodes CONNECT, EVENT with an acknowledgement id or spaced JSON, ACK and CONNECT_ERROR with their namespaces', () => {
    expect(decodeEnginePacket('40/chat,{"sid":"s","pid":"p"}')).toEqual({
      kind: 'socket',
      packet: { type: SocketType.CONNECT, namespace: '/chat', id: undefined, data: { sid: 's', pid: 'p' } },
    });
    expect(decodeEnginePacket('42/projects,12["project:update",{"kind":"progress"},"7"]')).toEqual({
      kind: 'socket',
      packet: {
        type: SocketType.EVENT,
        namespace: '/projects',
        id: 12,
        data: ['project:update', { kind: 'progress' }, '7'],
      },
    });
    expect(decodeEnginePacket('42/chat,["message:new", {"type": "chat_message"}, "4"]')).toMatchObject({
      packet: { namespace: '/chat', id: undefined, data: ['message:new', { type: 'chat_message' }, '4'] },
    });
    expect(decodeEnginePacket('430[{"type":"ack","id":0}]')).toMatchObject({
      packet: { type: SocketType.ACK, namespace: '/', id: 0 },
    });
    expect(decodeEnginePacket('44/admin,{"message":"Invalid namespace"}')).toMatchObject({
      packet: { type: SocketType.CONNECT_ERROR, namespace: '/admin', data: { message: 'Invalid namespace' } },
    });
  });

  it('reports text that breaks the framing instead of throwing', () => {
    expect(decodeEnginePacket('9x')).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/unknown Engine.IO/),
    });
    expect(decodeEnginePacket('42["event",')).toMatchObject({
      kind: 'invalid',
      reason: 'packet data is not JSON',
    });
    expect(decodeEnginePacket('0not json')).toMatchObject({ kind: 'invalid' });
  });

  it('encodes what socket.io-client sends, and decodes it back', () => {
    const packets = [
      { type: SocketType.CONNECT, namespace: '/chat', id: undefined, data: { token: 't' } },
      { type: SocketType.EVENT, namespace: '/', id: 7, data: ['chat:join', { conversationId: 12 }] },
    ];
    expect(packets.map(encodeSocketPacket)).toEqual([
      '40/chat,{"token":"t"}',
      '427["chat:join",{"conversationId":12}]',
    ]);
    for (const packet of packets) {
      expect(decodeEnginePacket(encodeSocketPacket(packet))).toEqual({ kind: 'socket', packet });
    }
  });
});
