/**
 * The committed model (`model/toxicity-model.json`, written by scripts/train-toxicity.ts),
 * decoded on first use and shared by every scanner that does not bring its own.
 */
import modelFile from './model/toxicity-model.json' with { type: 'json' };
import { loadToxicityModel, type ToxicityModel } from './model-format.js';

let cached: ToxicityModel | undefined;

export function defaultToxicityModel(): ToxicityModel {
  cached ??= loadToxicityModel(modelFile);
  return cached;
}
