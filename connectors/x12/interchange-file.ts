// Writes one interchange file so that a reader of the folder sees it whole or not at all: a hidden
// temp file flushed to disk, renamed over the name, then the folder's entry synced. A retry that
// writes the same name replaces the file instead of adding one.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { syncFolder, writeFileAtomically } from '../file/atomic-write.js';
import { fileWriteError } from '../file/errors.js';

/** `837_<ISA13>_<message id>.x12`: from the delivery alone, so every attempt lands on the same name. */
export function interchangeFileName(interchangeControlNumber: string, messageId: string): string {
  return `837_${interchangeControlNumber}_${messageId}.x12`;
}

export async function writeInterchangeFile(dir: string, name: string, text: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeFileAtomically(dir, name, text);
    await syncFolder(dir);
  } catch (error) {
    throw fileWriteError(join(dir, name), error as NodeJS.ErrnoException);
  }
}
