/**
 * Stage 2: which model answers. Reads the in-memory registry snapshot only. Stacks,
 * environments and experiment arms plug in here.
 */
import { AppError } from '../../core/index.js';
import type { RequestContext } from '../context.js';
import type { RegistrySnapshot } from '../registry.js';

export function resolveModel(
  context: RequestContext,
  registry: RegistrySnapshot,
  kind: 'chat' | 'embedding',
): void {
  const model = registry.models.get(context.requestedModel);
  if (!model) {
    throw new AppError('model_not_found', `The model "${context.requestedModel}" does not exist.`, {
      param: 'model',
    });
  }
  if (model.kind !== kind) {
    throw new AppError('invalid_request', `The model "${model.name}" is an ${model.kind} model.`, {
      param: 'model',
    });
  }
  context.model = model;
}
