// A folder files are dropped into, as a pickup sees it: list, read, and put taken files (and what
// the hub answered) into the archive or error folder. Local directories and SFTP servers offer it.
import { TransientError } from '../../canonical-model/errors.js';
import type { FolderEntry } from './stability.js';

/** Where a taken file goes: `archive` when the hub accepted it, `error` when it refused it. */
export type ArchiveKind = 'archive' | 'error';

export interface DropFolder {
  /** For logs: `/srv/inbox`, `sftp://ch@sftp.example.net:22/outbound`. */
  readonly location: string;
  /** Connects if need be and makes sure the archive and error folders exist. */
  prepare(): Promise<void>;
  /** The regular files of the pickup folder. */
  list(): Promise<FolderEntry[]>;
  read(name: string): Promise<Buffer>;
  // A file already in `to` under the same name has the same content (archive names derive from the
  // message): it is an earlier copy, and either copy may stay.
  /** Writes a file into `to` whole or not at all (temporary name, then rename). */
  writeFile(to: ArchiveKind, name: string, content: string): Promise<void>;
  /** Moves a taken file from the pickup folder into `to` as `newName`. */
  moveTo(name: string, to: ArchiveKind, newName: string): Promise<void>;
  close(): Promise<void>;
}

/** The folder could not be listed, read or written (server down, share gone, no permission): try again later. */
export class FolderUnavailableError extends TransientError {}
