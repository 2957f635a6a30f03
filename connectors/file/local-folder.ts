// A local directory as a DropFolder. Taken files are renamed into the archive or error folder,
// which must therefore be on the same file system as the pickup folder (the defaults are inside it).
import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { syncFolder, writeFileAtomically } from './atomic-write.js';
import type { FolderEntry } from './stability.js';
import { FolderUnavailableError, type ArchiveKind, type DropFolder } from './drop-folder.js';

export interface LocalFolderPaths {
  dir: string;
  archiveDir: string;
  errorDir: string;
}

function unavailable(what: string, path: string, error: unknown): FolderUnavailableError {
  const { code, message } = error as NodeJS.ErrnoException;
  return new FolderUnavailableError(`cannot ${what} ${path}: ${code ?? 'error'} ${message}`, { cause: error });
}

export class LocalFolder implements DropFolder {
  readonly location: string;

  constructor(private readonly paths: LocalFolderPaths) {
    this.location = paths.dir;
  }

  async prepare(): Promise<void> {
    for (const dir of [this.paths.dir, this.paths.archiveDir, this.paths.errorDir])
      await mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw unavailable('create', dir, error);
      });
  }

  async list(): Promise<FolderEntry[]> {
    const names = await readdir(this.paths.dir, { withFileTypes: true }).catch((error: unknown) => {
      throw unavailable('list', this.paths.dir, error);
    });
    const entries: FolderEntry[] = [];
    for (const dirent of names) {
      if (!dirent.isFile() && !dirent.isSymbolicLink()) continue;
      // A file taken away between the listing and here (another hub on the same folder) is skipped.
      const info = await stat(join(this.paths.dir, dirent.name)).catch(() => undefined);
      if (info?.isFile()) entries.push({ name: dirent.name, size: info.size, mtimeMs: info.mtimeMs });
    }
    return entries;
  }

  async read(name: string): Promise<Buffer> {
    const path = join(this.paths.dir, name);
    return readFile(path).catch((error: unknown) => {
      throw unavailable('read', path, error);
    });
  }

  async writeFile(to: ArchiveKind, name: string, content: string): Promise<void> {
    const dir = this.dirOf(to);
    try {
      await writeFileAtomically(dir, name, content);
      await syncFolder(dir);
    } catch (error) {
      throw unavailable('write', join(dir, name), error);
    }
  }

  async moveTo(name: string, to: ArchiveKind, newName: string): Promise<void> {
    const target = join(this.dirOf(to), newName);
    await rename(join(this.paths.dir, name), target).catch((error: unknown) => {
      throw unavailable('move a file to', target, error);
    });
  }

  async close(): Promise<void> {}

  private dirOf(to: ArchiveKind): string {
    return to === 'archive' ? this.paths.archiveDir : this.paths.errorDir;
  }
}
