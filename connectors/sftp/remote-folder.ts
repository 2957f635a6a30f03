// An SFTP server's folder as a DropFolder (connectors/file/drop-folder.ts), over one session that
// is opened on demand and dropped on any failure, so the next round reconnects. Taken files are
// renamed into the archive/error folders on the server; answers are uploaded under a hidden
// temporary name and renamed into place.
import { createHash, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import type { ArchiveKind, DropFolder } from '../file/drop-folder.js';
import type { FolderEntry } from '../file/stability.js';
import { hostKeyMismatch, sftpUnavailable, type HostKeyMismatchError } from './errors.js';

export interface SftpFolderConfig {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it; without it any host key is accepted. */
  hostFingerprint?: string;
  path: string;
  archiveDir: string;
  errorDir: string;
}

const CONNECT_TIMEOUT_MS = 15_000;
// A server that stops answering is noticed within about 30 s instead of at the next TCP timeout.
const KEEPALIVE_MS = 10_000;
const CLOSE_WAIT_MS = 2_000;

/** OpenSSH's fingerprint of a host key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}`;
}

export class SftpFolder implements DropFolder {
  readonly location: string;
  private session: Promise<SftpClient> | undefined;
  private mismatch: HostKeyMismatchError | undefined;

  constructor(private readonly config: SftpFolderConfig) {
    this.location = `sftp://${config.username}@${config.host}:${config.port}${config.path.startsWith('/') ? '' : '/'}${config.path}`;
  }

  prepare(): Promise<void> {
    return this.run('connect and make the archive and error folders', async () => undefined);
  }

  list(): Promise<FolderEntry[]> {
    return this.run(`list ${this.config.path}`, async (sftp) =>
      (await sftp.list(this.config.path)).filter((f) => f.type === '-').map((f) => ({ name: f.name, size: f.size, mtimeMs: f.modifyTime })),
    );
  }

  read(name: string): Promise<Buffer> {
    const path = posix.join(this.config.path, name);
    return this.run(`read ${path}`, async (sftp) => (await sftp.get(path)) as Buffer);
  }

  writeFile(to: ArchiveKind, name: string, content: string): Promise<void> {
    const dir = this.dirOf(to);
    const temp = posix.join(dir, `.${name}.${randomUUID()}.tmp`);
    return this.run(`write ${posix.join(dir, name)}`, async (sftp) => {
      await sftp.put(Buffer.from(content, 'utf8'), temp);
      await moveUnlessThere(sftp, temp, posix.join(dir, name));
    });
  }

  moveTo(name: string, to: ArchiveKind, newName: string): Promise<void> {
    const target = posix.join(this.dirOf(to), newName);
    return this.run(`move a file to ${target}`, (sftp) => moveUnlessThere(sftp, posix.join(this.config.path, name), target));
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    const client = await session?.catch(() => undefined);
    if (client) await endWithin(client, CLOSE_WAIT_MS);
  }

  private dirOf(to: ArchiveKind): string {
    return to === 'archive' ? this.config.archiveDir : this.config.errorDir;
  }

  /** Runs one operation on the session; any failure drops the session and says what could not be done. */
  private async run<T>(what: string, operation: (sftp: SftpClient) => Promise<T>): Promise<T> {
    try {
      this.session ??= this.connect();
      return await operation(await this.session);
    } catch (error) {
      void this.close();
      if (this.mismatch) throw this.mismatch;
      throw sftpUnavailable(this.location, what, error);
    }
  }

  private connect(): Promise<SftpClient> {
    this.mismatch = undefined;
    // A connection the server closes is forgotten at once; the next operation opens a new one.
    const client = new SftpClient('claimhub', { close: () => void (this.session === connecting && (this.session = undefined)) });
    const { host, port, username, password, privateKey, hostFingerprint } = this.config;
    const connecting: Promise<SftpClient> = client
      .connect({
        host,
        port,
        username,
        password,
        privateKey,
        readyTimeout: CONNECT_TIMEOUT_MS,
        keepaliveInterval: KEEPALIVE_MS,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          const presented = fingerprintOf(key);
          if (!hostFingerprint || presented === hostFingerprint) return true;
          this.mismatch = hostKeyMismatch(this.location, hostFingerprint, presented);
          return false;
        },
      })
      .then(async () => {
        for (const dir of [this.config.archiveDir, this.config.errorDir]) if (!(await client.exists(dir))) await client.mkdir(dir, true);
        return client;
      })
      .catch(async (error: unknown) => {
        await endWithin(client, CLOSE_WAIT_MS); // connected, but the folders could not be made
        throw error;
      });
    return connecting;
  }
}

/**
 * Rename, where a file already at `to` is the same content: archive names derive from the message,
 * so it is an earlier copy (a re-take after a crash, another hub on the same folder). Plain SFTP
 * rename refuses an existing target; the copy already in place is kept and `from` removed.
 */
async function moveUnlessThere(sftp: SftpClient, from: string, to: string): Promise<void> {
  try {
    await sftp.rename(from, to);
  } catch (error) {
    if (!(await sftp.exists(to))) throw error;
    await sftp.delete(from, true);
  }
}

async function endWithin(client: SftpClient, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.end().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
