/**
 * A TCP proxy on an ephemeral port in front of a real server (Postgres in the storage tests),
 * which a test can partition: while partitioned, connections stay open but no byte crosses in
 * either direction — what a dropped network path looks like to both ends, unlike a closed
 * socket (which the driver notices at once).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:<port>` of the proxy. */
  host: string;
  /** Stops forwarding: bytes sent either way are swallowed; sockets stay open. */
  partition(): void;
  /** Forwards again, on connections opened from now on (a partition breaks the old ones for good). */
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const state = { partitioned: false };
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    const pair = [client, upstream];
    for (const socket of pair) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        for (const other of pair) other.destroy();
      });
    }
    // A connection that saw the partition stays dead even after heal: its protocol stream has
    // lost bytes, as a real connection would after a long enough outage.
    const broken = { value: false };
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (data) => {
        if (state.partitioned) broken.value = true;
        if (!broken.value) to.write(data);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
  return {
    host: `127.0.0.1:${address.port}`,
    partition: () => {
      state.partitioned = true;
    },
    heal: () => {
      state.partitioned = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
