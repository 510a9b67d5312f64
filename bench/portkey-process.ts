/**
 * Runs the npm package `@portkey-ai/gateway` (its published Node build) as a benchmark target.
 *
 * Its bin takes only `--port=` and `--headless`, and `@hono/node-server`'s `serve()` is called
 * without a hostname, so it would listen on every interface. We bind it to 127.0.0.1 by filling
 * in the host of that one `listen()` call, and ask for port 0 so the OS picks a free one; the
 * real port is read back from the server. Its stdout is a spinner and a banner (the parent
 * ignores it); readiness goes over IPC like every other bench child.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { onStop, reportReady } from './child-ipc.js';

type Listen = (this: net.Server, ...parameters: unknown[]) => net.Server;

const servers: net.Server[] = [];
const originalListen = net.Server.prototype.listen as Listen;
const bindToLoopback: Listen = function (this: net.Server, ...parameters) {
  // serve() calls listen(port, hostname, callback) with hostname undefined.
  if (typeof parameters[0] === 'number' && parameters[1] === undefined) parameters[1] = '127.0.0.1';
  servers.push(this);
  this.once('listening', () => {
    const address = this.address() as net.AddressInfo;
    reportReady({ url: `http://127.0.0.1:${address.port}`, boundTo: address.address });
  });
  return originalListen.apply(this, parameters);
};
net.Server.prototype.listen = bindToLoopback as typeof net.Server.prototype.listen;

onStop(() => {
  for (const server of servers) server.close();
});

const require = createRequire(import.meta.url);
const packageJsonPath = require.resolve('@portkey-ai/gateway/package.json');
const packageJson = require(packageJsonPath) as { bin: string };
process.argv = [process.argv[0] ?? 'node', 'portkey-gateway', '--port=0', '--headless'];
await import(pathToFileURL(path.join(path.dirname(packageJsonPath), packageJson.bin)).href);
