/**
 * The problems of an apply document, all of them at once: each with the field it concerns
 * (bracketed indexes, `guard_policies[0].rules[2].action`) and one readable line; the error
 * that carries them keeps the lines apart for the config loader, which prints one a line.
 */
import { AppError, type ErrorCode } from '../core/index.js';

/** One thing wrong with an apply document: the field (bracketed indexes) and one readable line. */
export interface DocumentProblem {
  path: string;
  message: string;
  line: string;
}

/**
 * A document with problems: every one in the message and in `details`, the first as `param`.
 * `lines` keeps them apart for the config loader, which prints one a line at start.
 */
export class InvalidDocumentError extends AppError {
  readonly lines: string[];
  /** `code`: the first problem's — a reference that does not resolve is a 404, as it is alone. */
  constructor(problems: DocumentProblem[], code: ErrorCode = 'invalid_request') {
    super(code, `Invalid document: ${problems.map((problem) => problem.line).join('; ')}`, {
      param: problems[0]?.path || undefined,
      details: problems.map((problem) => ({
        path: problem.path,
        message: problem.message,
        line: problem.line,
      })),
    });
    this.name = 'InvalidDocumentError';
    this.lines = problems.map((problem) => problem.line);
  }
}

/**
 * Runs one entry's check, turning an AppError into a problem of the document (its field
 * prefixed with the entry's path); anything else (a store failure) is not the document's fault.
 */
export function collectProblem(
  problems: Array<DocumentProblem & { code: ErrorCode }>,
  path: string,
  where: string,
  error: unknown,
): void {
  if (!(error instanceof AppError)) throw error;
  problems.push({
    path: error.param ? `${path}.${error.param}` : path,
    message: error.message,
    line: `${where}: ${error.message}`,
    code: error.code,
  });
}
