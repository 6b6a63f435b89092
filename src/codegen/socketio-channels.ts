/** Which channels of the AsyncAPI document belong to the Socket.IO binding. */
import type { ChannelInterface } from '@asyncapi/parser';

/** The protocol of the servers of the Socket.IO binding in asyncapi.yaml. */
export const SOCKETIO_PROTOCOL = 'socket.io';

/** A namespace of the Socket.IO binding: a channel served only by `socket.io` servers. */
export function isSocketIoChannel(channel: ChannelInterface): boolean {
  const servers = channel.servers().all();
  return servers.length > 0 && servers.every((server) => server.protocol() === SOCKETIO_PROTOCOL);
}
