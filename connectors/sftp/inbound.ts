// SFTP source: polls a folder on a partner's SFTP server (a clearinghouse's outbound 835s, 999s)
// with the same semantics as a local file drop (connectors/file/pickup.ts): files are taken once
// complete, archived on the server only after the hub committed them, with the hub's answer
// uploaded beside them. A server that is down or drops the connection is retried with backoff.
import type { Logger } from 'pino';
import type { Intake } from '../../routes/intake.js';
import { Pickup, type StoredAnswers } from '../file/pickup.js';
import { SftpFolder, type SftpFolderConfig } from './remote-folder.js';

export interface SftpSourceConfig extends SftpFolderConfig {
  id: string;
  pattern: string;
  everyMs: number;
  settleMs: number;
}

export function sftpSource(
  config: SftpSourceConfig,
  deps: { intake: Pick<Intake, 'receive'>; answers: StoredAnswers; log: Logger },
): Pickup {
  if (!config.hostFingerprint)
    deps.log.warn(
      { source: config.id, host: config.host },
      'sftp source without hostFingerprint: any host key is accepted; set it to what `ssh-keygen -lf` prints for the server key',
    );
  return new Pickup({
    sourceId: config.id,
    folder: new SftpFolder(config),
    pattern: config.pattern,
    everyMs: config.everyMs,
    settleMs: config.settleMs,
    ...deps,
  });
}
