import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PinnedTechnicalFiles, technicalSources } from '../../scripts/suffix-data.js';

// The suffix model's technical training text is read from pinned node_modules files
// (scripts/train-suffix.files.json), so that adding a dependency does not change what
// scripts/train-suffix.ts trains on. This checks that every pinned file is installed and
// reads as it did (a package upgrade would change the model when retrained), and that the
// chunks they give are the rows the committed split lists.
const root = join(import.meta.dirname, '..', '..');
const pinned = JSON.parse(
  readFileSync(join(root, 'scripts/train-suffix.files.json'), 'utf8'),
) as PinnedTechnicalFiles;
const split = JSON.parse(readFileSync(join(root, 'scripts/train-suffix.split.json'), 'utf8')) as {
  seed: number;
  sources: Array<{ name: string; rows: number; files: string[] }>;
};

describe('suffix training: pinned technical files', () => {
  it('reads every pinned file unchanged, into the rows the committed split lists', () => {
    const sources = technicalSources(root, split.seed, pinned);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const listed = split.sources.find((entry) => entry.name === source.name);
      expect(listed, source.name).toBeDefined();
      expect(source.texts.length, source.name).toBe(listed?.rows);
      expect(source.files, source.name).toEqual(listed?.files);
    }
  });

  it('stops with the file name when a pinned file reads differently', () => {
    const [kind, files] = Object.entries(pinned)[0] ?? ['', []];
    const first = files[0];
    expect(first).toBeDefined();
    const tampered: PinnedTechnicalFiles = {
      ...pinned,
      [kind]: [{ file: first?.file ?? '', sha256: '0'.repeat(64) }],
    };
    expect(() => technicalSources(root, split.seed, tampered)).toThrow(first?.file ?? '');
  });
});
