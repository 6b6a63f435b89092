/**
 * A TCP load balancer in front of the instances of a deployment, as a client meets one: each new
 * connection goes to the next instance in turn (no sticky sessions), and a test can cut every connection
 * (a network failure) and hold new ones back until it releases them (a client that is away meanwhile).
 */
import net from 'node:net';

export class RoundRobinBalancer {
  /** The instance (index into the ports) each connection went to, in order. */
  readonly routed: number[] = [];
  private readonly sockets = new Set<net.Socket>();
  private held: net.Socket[] | undefined;
  private next = 0;

  private constructor(
    private readonly server: net.Server,
    private readonly ports: readonly number[],
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** A balancer on an ephemeral port of the loopback interface in front of `ports`. */
  static async start(ports: readonly number[]): Promise<RoundRobinBalancer> {
    const balancer = new RoundRobinBalancer(net.createServer(), ports);
    await new Promise<void>((resolve) => balancer.server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  /** `http://127.0.0.1:<port>` (socket.io-client's form). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Drops every open connection without a close frame, both ways. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** New connections wait, accepted but not passed on, until `release`. */
  hold(): void {
    this.held ??= [];
  }

  /** Passes on the connections that waited, and the ones to come. */
  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const client of waiting) if (!client.destroyed) this.route(client);
  }

  async close(): Promise<void> {
    for (const client of this.held ?? []) client.destroy();
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.held) this.held.push(client);
    else this.route(client);
  }

  private route(client: net.Socket): void {
    const index = this.next++ % this.ports.length;
    this.routed.push(index);
    const upstream = net.connect(this.ports[index], '127.0.0.1');
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }
}
