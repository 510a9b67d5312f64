/**
 * Release: deployments of stack versions to environments, rollbacks, their history, and the
 * declarative (GitOps) apply of prompts, adapters, stacks and deployments.
 */
export { type ApplyChange, applyDocument, InvalidDocumentError, parseApplyDocument } from './apply.js';
export { type ApplyDocument, applyDocumentSchema } from './apply-schema.js';
export { assertEnvironment, deploy, rollback } from './deployment-service.js';
