/**
 * The `stackops` command. `stackops serve` starts the platform; the other commands talk to a
 * running instance over its REST API (see credentials.ts for how they find it). Errors print
 * as `error: <message>` on stderr; the exit code is 1, or 2 for a usage mistake.
 */
import { Command } from 'commander';
import { registerAdminCommands } from './admin-commands.js';
import { registerApplyCommand } from './apply-command.js';
import { exitCodeFor } from './cli-error.js';
import { registerDeployCommands } from './deploy-commands.js';
import { registerGuardCommands } from './guard-commands.js';
import { registerKbCommands } from './kb-commands.js';
import { registerLoginCommand } from './login-command.js';
import { registerPromptCommands } from './prompt-commands.js';
import type { ServeOptions } from './serve-command.js';
import { registerStackCommands } from './stack-commands.js';
import { registerTraceCommands } from './trace-commands.js';

const program = new Command();
program.name('stackops').description('StackOps — version and serve whole Model Stacks').version('0.1.0');
// Throw instead of exiting, so that usage errors get exit code 2 (set before the subcommands,
// which inherit it).
program.exitOverride();

program
  .command('serve')
  .description('start the gateway and control plane (embedded SQLite unless a Postgres URL is given)')
  .option('-p, --port <port>', 'port (env STACKOPS_PORT, default 7300)')
  .option('--host <host>', 'bind address (env STACKOPS_HOST, default 127.0.0.1)')
  .option('--data-dir <dir>', 'SQLite data directory (env STACKOPS_DATA_DIR, default ./.stackops)')
  .option(
    '--database-url <url>',
    'postgres:// URL: use Postgres instead of SQLite (env STACKOPS_DATABASE_URL)',
  )
  .option('-c, --config <file>', 'YAML config file, applied at start (env STACKOPS_CONFIG)')
  .option('--admin-key <key>', 'bootstrap admin key (env STACKOPS_ADMIN_KEY; prefer the env var)')
  .option('--no-demo', 'do not seed the demo project on a new data dir')
  .action(async (options: ServeOptions) => {
    // Loaded on demand: the client commands should not start the server's module graph.
    const { serveCommand } = await import('./serve-command.js');
    await serveCommand(options);
  });

registerLoginCommand(program);
registerPromptCommands(program);
registerStackCommands(program);
registerDeployCommands(program);
registerApplyCommand(program);
registerAdminCommands(program);
registerTraceCommands(program);
registerKbCommands(program);
registerGuardCommands(program);

// `stackops traces | head -1`: a reader that stops early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = exitCodeFor(error);
});
