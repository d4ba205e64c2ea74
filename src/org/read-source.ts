import { readFile, stat } from 'node:fs/promises';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { MAX_SOURCE_BYTES } from './yaml-source.js';

/** A file's text, or the diagnostic that says why it cannot be used. */
export type SourceText = { text: string } | { problem: Diagnostic };

/**
 * Reads a definition file as UTF-8 text. Refuses files over 1 MiB, files that are not
 * UTF-8, and empty files, each with a located diagnostic; never throws.
 */
export async function readSourceText(file: string, what: string): Promise<SourceText> {
  const start = { file: what, line: 1, column: 1 };
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      return { problem: diagnostic('error', 'not-a-file', start, 'this is not a file') };
    }
    if (info.size > MAX_SOURCE_BYTES) {
      const megabytes = (info.size / 1024 / 1024).toFixed(1);
      return {
        problem: diagnostic(
          'error',
          'file-too-large',
          start,
          `the file is ${megabytes} MB; cadre reads definition files of at most 1 MB`,
          'split it, or move long text into a prompt file under prompts/',
        ),
      };
    }
    const bytes = await readFile(file);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return {
        problem: diagnostic(
          'error',
          'not-utf8',
          start,
          'the file is not UTF-8 text',
          'save it as UTF-8',
        ),
      };
    }
    if (text.trim() === '') {
      return {
        problem: diagnostic(
          'error',
          'file-empty',
          start,
          'the file is empty',
          'write its keys, or delete the file',
        ),
      };
    }
    return { text };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'does not exist'
        : `cannot be read (${String((error as Error).message)})`;
    return { problem: diagnostic('error', 'file-unreadable', start, `the file ${reason}`) };
  }
}
