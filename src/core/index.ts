/** Pure domain: types, ids, errors, config schema, pricing, trace context. No I/O. */

export * from './canonical-json.js';
export * from './config-schema.js';
export * from './domain.js';
export * from './errors.js';
export * from './generation-params.js';
export * from './guard-types.js';
export * from './ids.js';
export * from './knowledge-types.js';
export * from './openai-types.js';
export * from './parse-input.js';
export * from './periodic-task.js';
export * from './pricing.js';
export * from './prompt-template.js';
export * from './random.js';
export * from './registry-types.js';
export * from './stack-spec.js';
export * from './surrogates.js';
export * from './traceparent.js';
