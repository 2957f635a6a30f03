// File destination: one JSON file per canonical object, written atomically (temp file, fsync,
// rename, fsync of the directory) under a name derived from the message, so a resend after a
// crash replaces the same file instead of adding a second one.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Delivery, Destination } from '../destination.js';
import { syncFolder, writeFileAtomically } from './atomic-write.js';
import { fileWriteError } from './errors.js';

export interface FileDestinationConfig {
  id: string;
  dir: string;
}

/** File-name-safe form of a claim number (they may hold slashes, spaces, anything). */
function safeName(text: unknown): string {
  return String(text ?? 'object')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 80);
}

async function writeAtomically(dir: string, name: string, content: string): Promise<void> {
  await writeFileAtomically(dir, name, content).catch((error: NodeJS.ErrnoException) => {
    throw fileWriteError(join(dir, name), error);
  });
}

// Temp files older than this were left by a writer that crashed; younger ones may belong to
// another hub process writing into the same directory right now.
const STALE_TEMP_MS = 60_000;

async function removeStaleTemps(dir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dir)) {
    if (!name.startsWith('.') || !name.endsWith('.tmp')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
  }
}

/**
 * fsync of the directory, shared: a rename is durable once its directory entry is synced, and one
 * sync covers every rename done before it started. Concurrent deliveries therefore wait for the
 * next sync that starts after their rename instead of each paying for one.
 */
class DirectorySync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly dir: string) {}

  sync(): Promise<void> {
    if (!this.running) return (this.running = this.run());
    // A sync is under way but may have started before our rename: join the one after it.
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return (this.running = this.run());
      });
    return this.next;
  }

  private async run(): Promise<void> {
    try {
      await syncFolder(this.dir);
    } catch (error) {
      throw fileWriteError(this.dir, error as NodeJS.ErrnoException);
    } finally {
      this.running = undefined;
    }
  }
}

/** Files of one delivery written concurrently. */
const WRITES_IN_FLIGHT = 32;

export class FileDestination implements Destination {
  readonly type = 'file';
  readonly id: string;
  private readonly dir: string;
  private ready: Promise<unknown> | undefined;
  private readonly dirSync: DirectorySync;

  constructor(config: FileDestinationConfig) {
    this.id = config.id;
    this.dir = config.dir;
    this.dirSync = new DirectorySync(config.dir);
  }

  async deliver(delivery: Delivery): Promise<{ files: string[] }> {
    this.ready ??= mkdir(this.dir, { recursive: true })
      .then(() => removeStaleTemps(this.dir))
      .catch((error: NodeJS.ErrnoException) => {
        this.ready = undefined;
        throw fileWriteError(this.dir, error);
      });
    await this.ready;
    const files = delivery.objects.map(
      (object) => `${safeName(object.canonical.claimNumber ?? object.canonical.resourceType)}_${delivery.messageId}_${object.seq}.json`,
    );
    // Several files in flight at once: the file system commits their fsyncs together, which is what
    // keeps a message of thousands of claims (an X12 batch) from paying one journal commit per file.
    for (let start = 0; start < files.length; start += WRITES_IN_FLIGHT) {
      await Promise.all(
        files
          .slice(start, start + WRITES_IN_FLIGHT)
          .map((name, i) => writeAtomically(this.dir, name, JSON.stringify(delivery.objects[start + i].document ?? delivery.objects[start + i].canonical, null, 2) + '\n')),
      );
    }
    await this.dirSync.sync();
    return { files };
  }
}
