// The X12 files of the shared corpus, a fixture reader, and a reference segment count made the
// plain way (split on the terminator the ISA declares) for the tokenizer tests to agree with.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS } from '../../support/corpus.js';

export const X12_CORPUS = join(CORPUS, 'x12');
const FIXTURES = fileURLToPath(new URL('../../fixtures/x12/', import.meta.url));

/** Files whose ISA cannot be read at all (checked separately). */
export const UNREADABLE = new Set(['ims-x12_bad_first_line.txt', 'ims-x12_no_isa_line.txt']);

/** Every X12 file of the corpus (pyx12's logs excluded), as `folder/name`. */
export function corpusFiles(): string[] {
  return readdirSync(X12_CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'pyx12-findings')
    .flatMap((folder) => readdirSync(join(X12_CORPUS, folder.name)).map((name) => `${folder.name}/${name}`))
    .sort();
}

export function readCorpus(file: string): string {
  return readFileSync(join(X12_CORPUS, file), 'utf8');
}

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** pyx12's log for a corpus file, or undefined when the corpus has none. */
export function pyx12Log(file: string): string | undefined {
  const name = basename(file).replace(/\.(txt|edi)$/, '.pyx12.log');
  try {
    return readFileSync(join(X12_CORPUS, 'pyx12-findings', name), 'utf8');
  } catch {
    return undefined;
  }
}

/** What splitting on the terminator (char 106 of the ISA) finds: segment count, first and last ids. */
export function plainCount(text: string): { count: number; first: string; last: string } {
  const start = text.indexOf('ISA');
  const element = text[start + 3];
  const terminator = text[start + 105] === '\r' ? '\n' : text[start + 105];
  const pieces = text
    .split(terminator)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
  const id = (piece: string) => piece.split(element)[0];
  return { count: pieces.length, first: id(pieces[0]), last: id(pieces[pieces.length - 1]) };
}
