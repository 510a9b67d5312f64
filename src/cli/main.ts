/**
 * The `stackops` command. `stackops serve` starts the platform; the other commands talk to a
 * running instance over its REST API.
 */
import { Command } from 'commander';
import { serveCommand } from './serve-command.js';

const program = new Command();
program.name('stackops').description('StackOps — version and serve whole Model Stacks').version('0.1.0');

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
  .action(serveCommand);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
