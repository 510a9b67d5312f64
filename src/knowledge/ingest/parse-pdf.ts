/**
 * PDF text extraction with pdfjs-dist (legacy build, the one that runs on Node), page by page,
 * releasing each page after reading it. Lines follow pdfjs' end-of-line marks; pages are
 * separated by a blank line. Title: the document info `Title`, else XMP `dc:title`. pdfjs is
 * loaded on first use (~250 ms) so that importing the ingest module stays cheap. Scanned PDFs
 * have no text layer and come back empty (no OCR).
 */

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

export interface ParsedPdf {
  title: string | null;
  text: string;
  pages: number;
}

let pdfjs: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/** Throws `Error` with a readable message when the bytes are not a usable PDF. */
export async function parsePdf(bytes: Uint8Array): Promise<ParsedPdf> {
  const library = await loadPdfJs();
  // pdfjs takes ownership of (and may detach) the buffer it is given, so give it a copy.
  const task = library.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: library.VerbosityLevel.ERRORS,
  });
  let document: Awaited<typeof task.promise>;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => {});
    throw new Error(describePdfError(error));
  }
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      page.cleanup();
      const trimmed = text.replace(/(?<![ \t])[ \t]+\n/g, '\n').trim();
      if (trimmed) pages.push(trimmed);
    }
    return { title: await pdfTitle(document), text: pages.join('\n\n'), pages: document.numPages };
  } catch (error) {
    throw new Error(describePdfError(error));
  } finally {
    await document.destroy().catch(() => {});
  }
}

async function pdfTitle(document: {
  getMetadata(): Promise<{ info: object; metadata: { get(name: string): unknown } | null }>;
}): Promise<string | null> {
  try {
    const { info, metadata } = await document.getMetadata();
    const title = (info as Record<string, unknown>).Title ?? metadata?.get('dc:title');
    return typeof title === 'string' && title.trim() ? title.trim() : null;
  } catch {
    return null;
  }
}

function describePdfError(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') return 'encrypted PDF (a password is required)';
  return `invalid PDF: ${message}`;
}
