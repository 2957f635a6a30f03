// Writing a file so that a reader of its folder sees it whole or not at all: a hidden temp file
// (unique per call, so racing attempts never write into each other's), flushed to disk, renamed over
// the name. The folder entry is made durable by syncing the folder (syncFolder), which callers do per
// file or once for a batch. Errors come back as the file system gave them; callers type them.
import { randomUUID } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes `content` to `dir/name` through a temp file; on failure the temp file is removed. */
export async function writeFileAtomically(dir: string, name: string, content: string): Promise<void> {
  const temp = join(dir, `.${name}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, content, { flush: true });
    await rename(temp, join(dir, name));
  } catch (error) {
    // cleaning up must not hide why the write failed (a folder that is a file fails the rm too)
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** fsync of a folder: makes the renames in it durable. */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
