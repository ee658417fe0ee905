import net from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Connections handed to each backend, in the order the backends were given. */
  connections: number[];
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy that hands each new connection to the next backend in turn, as a load
 * balancer in front of several web processes would. HTTP keep-alive keeps a client on one backend
 * for the life of its connection, so many clients spread over every backend.
 */
export function startRoundRobinProxy(backends: string[]): Promise<RoundRobinProxy> {
  const targets = backends.map((b) => new URL(b));
  const connections = targets.map(() => 0);
  const sockets = new Set<net.Socket>();
  let next = 0;
  const server = net.createServer((client) => {
    const i = next++ % targets.length;
    connections[i]!++;
    const target = targets[i]!;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        connections,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
