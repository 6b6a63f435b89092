/**
 * The network between one example and the reference server: a TCP proxy that can cut every connection
 * (the client sees 1006, as after a network failure) and can go down (new connections are reset at once,
 * as when the server cannot be reached) and up again.
 */
import net from 'node:net';
import { startDropProxy, type DropProxy } from '../../client/support/drop-proxy.js';

export interface Network {
  /** `ws://127.0.0.1:<port>`: where the examples' hosts are sent. */
  url: string;
  /** Request targets of the upgrades so far (`/ws/campaigns?campaignId=1&userId=1`). */
  readonly requests: string[];
  /** Drops every open connection without a close frame. */
  cut(): void;
  /** From now on, new connections are reset at once. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startNetwork(serverPort: number): Promise<Network> {
  const proxy: DropProxy = await startDropProxy(serverPort);
  const refuser = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => refuser.listen(0, '127.0.0.1', resolve));
  const refuserPort = (refuser.address() as net.AddressInfo).port;
  return {
    url: proxy.url,
    requests: proxy.requests,
    cut: () => proxy.dropAll(),
    down: () => proxy.retarget(refuserPort),
    up: () => proxy.retarget(serverPort),
    close: async () => {
      await proxy.close();
      await new Promise<void>((resolve) => refuser.close(() => resolve()));
    },
  };
}
