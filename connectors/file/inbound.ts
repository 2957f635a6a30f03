// File-drop source: polls a local folder (a mount, a share, what a partner's transfer tool fills)
// and takes its files through the intake like any HTTP POST (pickup.ts says how).
import type { Logger } from 'pino';
import type { Intake } from '../../routes/intake.js';
import { LocalFolder } from './local-folder.js';
import { Pickup, type StoredAnswers } from './pickup.js';

export interface FileSourceConfig {
  id: string;
  dir: string;
  archiveDir: string;
  errorDir: string;
  pattern: string;
  everyMs: number;
  settleMs: number;
}

export function fileSource(
  config: FileSourceConfig,
  deps: { intake: Pick<Intake, 'receive'>; answers: StoredAnswers; log: Logger },
): Pickup {
  return new Pickup({
    sourceId: config.id,
    folder: new LocalFolder({ dir: config.dir, archiveDir: config.archiveDir, errorDir: config.errorDir }),
    pattern: config.pattern,
    everyMs: config.everyMs,
    settleMs: config.settleMs,
    prepareAtStart: true,
    ...deps,
  });
}
