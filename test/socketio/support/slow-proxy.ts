/**
 * A TCP proxy that delays every chunk in both directions and passes it on in small pieces: latency and
 * fragmented frames, as a slow network shows them to both peers. Order is kept.
 */
import net from 'node:net';

export interface SlowProxy {
  /** `ws://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startSlowProxy(
  targetPort: number,
  delayMs: number,
  pieceBytes: number,
): Promise<SlowProxy> {
  const sockets = new Set<net.Socket>();
  /** Forwards `from` to `to` chunk by chunk, each after `delayMs`, cut into `pieceBytes` writes. */
  const forward = (from: net.Socket, to: net.Socket) => {
    let queue = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      queue = queue.then(async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        for (let offset = 0; offset < chunk.length && !to.destroyed; offset += pieceBytes) {
          to.write(chunk.subarray(offset, offset + pieceBytes));
        }
      });
    });
    from.on('end', () => void queue.then(() => to.end()));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
