/** Records → the control plane's snake_case JSON. Secrets and hashes never leave here. */
import type {
  Adapter,
  ApiKey,
  AuditEntry,
  Deployment,
  DeploymentEvent,
  Project,
  Prompt,
  PromptVersion,
  SpanRecord,
  StackSpec,
  StackVersion,
  TraceRecord,
} from '../core/index.js';

const iso = (milliseconds: number | null): string | null =>
  milliseconds === null ? null : new Date(milliseconds).toISOString();

export const serializeProject = (project: Project) => ({
  id: project.id,
  name: project.name,
  is_demo: project.isDemo,
  created_at: iso(project.createdAt),
});

export const serializeKey = (key: ApiKey) => ({
  id: key.id,
  project_id: key.projectId,
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  instance_admin: key.instanceAdmin,
  created_at: iso(key.createdAt),
  revoked_at: iso(key.revokedAt),
});

export const serializeAudit = (entry: AuditEntry) => ({
  id: entry.id,
  project_id: entry.projectId,
  actor_key_id: entry.actorKeyId,
  action: entry.action,
  target_type: entry.targetType,
  target_id: entry.targetId,
  details: entry.details,
  created_at: iso(entry.createdAt),
});

export const serializeTrace = (trace: TraceRecord) => ({
  id: trace.id,
  project_id: trace.projectId,
  name: trace.name,
  start_time: iso(trace.startTime),
  end_time: iso(trace.endTime),
  status: trace.status,
  model: trace.model,
  stack: trace.stack,
  stack_version: trace.stackVersion,
  input_tokens: trace.inputTokens,
  output_tokens: trace.outputTokens,
  cost: trace.cost,
  latency_ms: trace.latencyMs,
  ttft_ms: trace.ttftMs,
  api_key_id: trace.apiKeyId,
  attributes: trace.attributes,
});

export const serializeSpan = (span: SpanRecord) => ({
  trace_id: span.traceId,
  span_id: span.spanId,
  parent_span_id: span.parentSpanId,
  name: span.name,
  kind: span.kind,
  start_time: iso(span.startTime),
  end_time: iso(span.endTime),
  status: span.status,
  status_message: span.statusMessage,
  attributes: span.attributes,
});

export const serializePrompt = (prompt: Prompt) => ({
  name: prompt.name,
  latest_version: prompt.latestVersion,
  labels: prompt.labels,
  created_at: iso(prompt.createdAt),
});

export const serializePromptVersion = (version: PromptVersion, labels: Record<string, number> = {}) => ({
  name: version.promptName,
  version: version.version,
  messages: version.messages,
  variables: version.variables,
  params: version.params,
  commit_message: version.commitMessage,
  author: version.author,
  content_hash: version.contentHash,
  labels: Object.entries(labels)
    .filter(([, labelled]) => labelled === version.version)
    .map(([label]) => label),
  created_at: iso(version.createdAt),
});

export const serializeAdapter = (adapter: Adapter) => ({
  name: adapter.name,
  version: adapter.version,
  base_model: adapter.baseModel,
  upstream_adapter: adapter.upstreamAdapter,
  metadata: adapter.metadata,
  content_hash: adapter.contentHash,
  created_at: iso(adapter.createdAt),
});

export const serializeSpec = (spec: StackSpec) => ({
  model: spec.model,
  adapter: spec.adapter,
  prompt: spec.prompt,
  knowledge: spec.knowledge,
  guard: spec.guard,
  params: spec.params,
  retrieval: spec.retrieval,
});

export const serializeStackVersion = (version: StackVersion, lineage: string) => ({
  name: version.stackName,
  version: version.version,
  fingerprint: version.fingerprint,
  lineage,
  spec: serializeSpec(version.spec),
  message: version.message,
  author: version.author,
  created_at: iso(version.createdAt),
});

export const serializeDeploymentEvent = (event: DeploymentEvent) => ({
  id: event.id,
  stack: event.stackName,
  environment: event.environment,
  from_version: event.fromVersion,
  to_version: event.toVersion,
  version: event.toVersion,
  action: event.action,
  actor: event.actor,
  created_at: iso(event.createdAt),
});

export const deploymentMap = (deployments: Deployment[]): Record<string, number> =>
  Object.fromEntries(deployments.map((deployment) => [deployment.environment, deployment.version]));
