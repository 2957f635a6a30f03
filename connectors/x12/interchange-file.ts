// Writes one interchange file so that a reader of the folder sees it whole or not at all: a hidden
// temp file flushed to disk, renamed over the name, then the folder's entry synced. A retry that
// writes the same name replaces the file instead of adding one.
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileWriteError } from '../file/errors.js';

/** `837_<ISA13>_<message id>.x12`: from the delivery alone, so every attempt lands on the same name. */
export function interchangeFileName(interchangeControlNumber: string, messageId: string): string {
  return `837_${interchangeControlNumber}_${messageId}.x12`;
}

export async function writeInterchangeFile(dir: string, name: string, text: string): Promise<void> {
  const target = join(dir, name);
  // Unique per attempt: two attempts of one delivery racing must not write into each other's temp.
  const temp = join(dir, `.${name}.${randomUUID()}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, text, { flush: true });
    await rename(temp, target);
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch (error) {
    // Cleaning up must not hide why the write failed (a folder that is a file fails the rm too).
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileWriteError(target, error as NodeJS.ErrnoException);
  }
}
