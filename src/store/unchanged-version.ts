/**
 * Thrown inside a version-creating transaction when the newest version already holds the same
 * content, so that the transaction rolls back (giving back the number it reserved) and the
 * caller answers with that version instead: `createVersionIfChanged` on either dialect.
 */
import type { PromptVersion, StackVersion } from '../core/index.js';

export class UnchangedVersion extends Error {
  constructor(readonly version: PromptVersion | StackVersion) {
    super('the newest version has the same content');
  }
}
