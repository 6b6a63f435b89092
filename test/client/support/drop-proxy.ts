/**
 * A TCP proxy in front of a server that can cut every connection at once (a server-side drop as the
 * client sees it: no close frame, 1006) and can be pointed at another server. It records the request
 * line of each upgrade, so tests see the `resume`/`lastSeq` a client sent.
 */
import net from 'node:net';

export interface DropProxy {
  /** `ws://127.0.0.1:<port>` */
  url: string;
  /** Request targets of the upgrades seen so far, e.g. `/ws/market_data?resume=…&lastSeq=4`. */
  readonly requests: string[];
  /** Destroys every open connection on both sides. */
  dropAll(): void;
  /** Sends new connections to another port. */
  retarget(port: number): void;
  close(): Promise<void>;
}

export async function startDropProxy(targetPort: number): Promise<DropProxy> {
  let target = targetPort;
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.once('data', (chunk) => {
      const requestLine = chunk.toString('latin1').split('\r\n', 1)[0];
      requests.push(requestLine.split(' ')[1] ?? requestLine);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    requests,
    dropAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    retarget: (next) => {
      target = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
