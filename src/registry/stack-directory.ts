/**
 * The in-memory directory of deployed stack versions the gateway reads on every request.
 * Each project has an immutable table (stack names + environment → resolved version); a
 * change builds a new table and swaps one reference, so a request sees the old deployment or
 * the new one entirely, never a mix. Resolved versions are immutable and cached. Tables are
 * refreshed on every local change and, for other replicas' changes, on a polling interval.
 */
import {
  type Adapter,
  type CompiledTemplate,
  compileTemplate,
  type PromptVersion,
  type StackSpec,
} from '../core/index.js';
import { type CompiledPolicy, compilePolicy, type ScannerRegistry } from '../guard/index.js';
import type { Store } from '../store/index.js';
import { lineage } from './stack-service.js';

export interface ResolvedStack {
  projectId: string;
  stackName: string;
  version: number;
  fingerprint: string;
  spec: StackSpec;
  lineage: string;
  adapter: Adapter | null;
  prompt: { version: PromptVersion; template: CompiledTemplate } | null;
  /** Prompt default params overlaid by the stack's params. */
  params: Record<string, unknown>;
  /** The pinned guard policy version, compiled. */
  guard: CompiledPolicy | null;
  /**
   * Why the stack cannot answer: its stored guard policy no longer compiles (a remote endpoint
   * the operator has since left off guard.remote_endpoints, an apiKeyEnv variable not set).
   */
  unavailable?: string;
}

export interface ProjectTable {
  readonly stacks: ReadonlySet<string>;
  /** key: `${stack}\u0000${environment}` */
  readonly deployments: ReadonlyMap<string, ResolvedStack>;
  readonly environments: ReadonlyMap<string, readonly string[]>;
}

export const deploymentKey = (stack: string, environment: string): string => `${stack}\u0000${environment}`;

const MAX_CACHED_VERSIONS = 5000;

export class StackDirectory {
  private readonly tables = new Map<string, ProjectTable>();
  private readonly loading = new Map<string, Promise<ProjectTable>>();
  private readonly versions = new Map<string, Promise<ResolvedStack | null>>();
  private readonly generations = new Map<string, { started: number; applied: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly scanners: ScannerRegistry,
  ) {}

  /** The current table, or undefined when the project was never loaded (use `ensure`). */
  table(projectId: string): ProjectTable | undefined {
    return this.tables.get(projectId);
  }

  ensure(projectId: string): Promise<ProjectTable> {
    const table = this.tables.get(projectId);
    if (table) return Promise.resolve(table);
    let pending = this.loading.get(projectId);
    if (!pending) {
      pending = this.reload(projectId).finally(() => this.loading.delete(projectId));
      this.loading.set(projectId, pending);
    }
    return pending;
  }

  /** Rebuilds a project's table from the store and swaps it in (unless a newer rebuild won). */
  async reload(projectId: string): Promise<ProjectTable> {
    const generation = this.generations.get(projectId) ?? { started: 0, applied: 0 };
    this.generations.set(projectId, generation);
    const mine = ++generation.started;
    const [stacks, deployments] = await Promise.all([
      this.store.stacks.list(projectId),
      this.store.stacks.listDeployments(projectId),
    ]);
    const resolved = new Map<string, ResolvedStack>();
    const environments = new Map<string, string[]>();
    for (const deployment of deployments) {
      const version = await this.resolveVersion(projectId, deployment.stackName, deployment.version);
      if (!version) continue;
      resolved.set(deploymentKey(deployment.stackName, deployment.environment), version);
      const list = environments.get(deployment.stackName) ?? [];
      list.push(deployment.environment);
      environments.set(deployment.stackName, list);
    }
    const table: ProjectTable = {
      stacks: new Set(stacks.map((stack) => stack.name)),
      deployments: resolved,
      environments,
    };
    if (mine > generation.applied) {
      generation.applied = mine;
      this.tables.set(projectId, table);
    }
    return this.tables.get(projectId) ?? table;
  }

  /** Forget a project (deleted). */
  drop(projectId: string): void {
    this.tables.delete(projectId);
    for (const key of this.versions.keys())
      if (key.startsWith(`${projectId}\u0000`)) this.versions.delete(key);
  }

  /** A stack version with its components, from cache or store (versions are immutable). */
  resolveVersion(projectId: string, stackName: string, version: number): Promise<ResolvedStack | null> {
    const key = `${projectId}\u0000${stackName}\u0000${version}`;
    let pending = this.versions.get(key);
    if (!pending) {
      if (this.versions.size >= MAX_CACHED_VERSIONS) this.versions.clear();
      pending = this.loadVersion(projectId, stackName, version);
      this.versions.set(key, pending);
      pending.then(
        (value) => {
          if (!value) this.versions.delete(key);
        },
        () => this.versions.delete(key),
      );
    }
    return pending;
  }

  private async loadVersion(
    projectId: string,
    stackName: string,
    version: number,
  ): Promise<ResolvedStack | null> {
    const stackVersion = await this.store.stacks.getVersion(projectId, stackName, version);
    if (!stackVersion) return null;
    const spec = stackVersion.spec;
    const [adapter, prompt, guard] = await Promise.all([
      spec.adapter ? this.store.adapters.get(projectId, spec.adapter.name, spec.adapter.version) : null,
      spec.prompt ? this.store.prompts.getVersion(projectId, spec.prompt.name, spec.prompt.version) : null,
      spec.guard ? this.store.guardPolicies.getVersion(projectId, spec.guard.name, spec.guard.version) : null,
    ]);
    // A policy compiled when it was stored, but the server it runs on may have changed since.
    // Its stacks fail closed, on their own: the project's other stacks, and the server, go on.
    let compiled: CompiledPolicy | null = null;
    let unavailable: string | undefined;
    if (guard) {
      try {
        compiled = compilePolicy(guard, this.scanners);
      } catch (error) {
        unavailable = `The stack "${stackName}" pins the guard policy ${guard.policyName}@${guard.version}, which cannot run: ${(error as Error).message}`;
      }
    }
    return {
      ...(unavailable === undefined ? {} : { unavailable }),
      projectId,
      stackName,
      version,
      fingerprint: stackVersion.fingerprint,
      spec,
      lineage: lineage(spec),
      adapter: adapter ?? null,
      prompt: prompt
        ? { version: prompt, template: compileTemplate(prompt.messages, prompt.variables) }
        : null,
      params: { ...(prompt?.params ?? {}), ...spec.params },
      guard: compiled,
    };
  }

  /** Loads every project's table now, then refreshes loaded ones every `intervalMs` (other replicas' changes). */
  async start(intervalMs: number): Promise<void> {
    for (const project of await this.store.projects.list()) await this.reload(project.id);
    if (intervalMs > 0) {
      this.timer = setInterval(() => {
        for (const projectId of this.tables.keys()) void this.reload(projectId).catch(() => {});
      }, intervalMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
