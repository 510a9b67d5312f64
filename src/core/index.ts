/** Pure domain: types, ids, errors, config schema, pricing, trace context. No I/O. */
export * from './config-schema.js';
export * from './domain.js';
export * from './errors.js';
export * from './ids.js';
export * from './openai-types.js';
export * from './pricing.js';
export * from './traceparent.js';
export * from './registry-types.js';
