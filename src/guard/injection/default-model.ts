/**
 * The committed model (model/injection-model.json, written by scripts/train-injection.ts),
 * decoded once on first use. Importing JSON keeps the guard module free of file I/O.
 */

import modelJson from './model/injection-model.json' with { type: 'json' };
import { decodeModel, type InjectionModel, type InjectionModelFile, MODEL_FORMAT } from './model.js';

let cached: InjectionModel | undefined;

export function isInjectionModelFile(value: unknown): value is InjectionModelFile {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.format === MODEL_FORMAT &&
    typeof record.dims === 'number' &&
    typeof record.threshold === 'number' &&
    typeof record.detector === 'object' &&
    typeof record.kind === 'object'
  );
}

/** The committed model, decoded (about 2 MB of float32 weights, shared by all scanners). */
export function defaultInjectionModel(): InjectionModel {
  if (cached === undefined) {
    const file: unknown = modelJson;
    if (!isInjectionModelFile(file))
      throw new Error('src/guard/injection/model/injection-model.json is not a valid model');
    cached = decodeModel(file);
  }
  return cached;
}
