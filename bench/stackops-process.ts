/**
 * Runs StackOps as a benchmark target: `startServer` from src/server with a temporary data
 * dir, tracing on (the default), and one `openai-compatible` provider pointing at the fake
 * upstream. Reports its URL and admin key to the parent over IPC; removes the data dir on stop.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningServer, startServer } from '../src/server/index.js';
import { onStop, reportReady, requiredEnv } from './child-ipc.js';
import { BENCH_MODEL } from './fixtures.js';

const upstreamUrl = requiredEnv('BENCH_UPSTREAM_URL');
const dataDir = await mkdtemp(path.join(tmpdir(), 'stackops-bench-'));
let server: RunningServer | undefined;
onStop(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

try {
  server = await startServer({
    settings: { port: 0, host: '127.0.0.1', dataDir },
    configFile: {
      providers: [{ name: 'bench', type: 'openai-compatible', base_url: `${upstreamUrl}/v1` }],
      models: [{ name: BENCH_MODEL, provider: 'bench', pricing: { input_per_mtok: 1, output_per_mtok: 2 } }],
    },
    quiet: true,
  });
} catch (error) {
  await rm(dataDir, { recursive: true, force: true });
  throw error;
}
// A fresh data dir always gets a generated admin key; null would mean someone else's dir.
if (!server.adminKey) throw new Error('StackOps did not hand out an admin key for the fresh data dir');
reportReady({ url: server.url, adminKey: server.adminKey });
