/**
 * `stackops kb rm-snapshot|rm`: deleting a knowledge snapshot or a whole base. The server
 * refuses (409, printed as is) a snapshot that a stack version pins, the latest snapshot, and a
 * base any of whose snapshots is pinned: stack versions are immutable and rollback must work.
 */
import type { Command } from 'commander';
import { segment } from './api-client.js';
import type { KnowledgeBaseDeletedJson, KnowledgeSnapshotDeletedJson } from './api-types.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { parseVersion } from './parse-arguments.js';

/** Purging a large snapshot's rows can take a while; the server answers when it is done. */
const DELETE_TIMEOUT_MS = 290_000;

export function registerKbDeleteCommands(kb: Command): void {
  addClientOptions(
    kb
      .command('rm-snapshot')
      .description(
        'delete one snapshot with its chunks and embeddings (refused while a stack version pins it, ' +
          'or while it is the latest)',
      )
      .argument('<name>', 'knowledge base')
      .argument('<version>', 'snapshot version'),
  ).action(async (name: string, version: string, options: ClientFlags) => {
    const number = parseVersion(version, 'version');
    const context = createContext(options, { timeoutMs: DELETE_TIMEOUT_MS });
    const answer = await context.client.delete<KnowledgeSnapshotDeletedJson>(
      `/api/knowledge/${segment(name)}/snapshots/${number}`,
    );
    present(context, answer, (deleted) => `${deleted.name}@${deleted.version} deleted`);
  });

  addClientOptions(
    kb
      .command('rm')
      .description(
        'delete a knowledge base with its documents and snapshots (refused while a stack version pins ' +
          'one of its snapshots)',
      )
      .argument('<name>', 'knowledge base'),
  ).action(async (name: string, options: ClientFlags) => {
    const context = createContext(options, { timeoutMs: DELETE_TIMEOUT_MS });
    const answer = await context.client.delete<KnowledgeBaseDeletedJson>(`/api/knowledge/${segment(name)}`);
    present(context, answer, (deleted) => `knowledge base ${deleted.name} deleted`);
  });
}
