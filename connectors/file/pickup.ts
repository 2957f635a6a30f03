// The poller behind every file-drop source (local folders, SFTP): lists the folder, takes each
// complete file matching the pattern, hands its content to the intake and — only once the intake
// has committed it — writes the hub's answer (acknowledgement, error) beside the archived file and
// moves the file out of the folder. Until then the file stays where it is, so nothing is lost; a
// file taken again after a crash is a duplicate to the intake and lands on the same archive names.
import type { Logger } from 'pino';
import { ParseError, TransientError } from '../../canonical-model/errors.js';
import type { Intake } from '../../routes/intake.js';
import { acknowledgementName, archiveName, errorName } from './archive-names.js';
import { contentTypeOf } from './content-type.js';
import type { DropFolder } from './drop-folder.js';
import { globPattern, isInProgressName } from './pattern.js';
import { StabilityCheck, type FolderEntry } from './stability.js';

/** What the hub recorded for a message: read after the commit, so a duplicate gets its first copy's answer. */
export interface StoredAnswers {
  view(id: string): Promise<{ status: string; error?: unknown } | undefined>;
  acknowledgement(id: string): Promise<{ contentType: string; text: string } | undefined>;
}

export interface PickupOptions {
  sourceId: string;
  folder: DropFolder;
  /** Glob of `*` and `?` over file names. */
  pattern: string;
  everyMs: number;
  settleMs: number;
  intake: Pick<Intake, 'receive'>;
  answers: StoredAnswers;
  log: Logger;
  /** Create the folders before start() returns (a local folder: partners may drop files as soon as the hub is up). */
  prepareAtStart?: boolean;
}

// Retries after a failure (folder or store unavailable): 1 s, doubling, with jitter, up to five
// minutes or the polling period, whichever is longer.
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 300_000;

export class Pickup {
  private readonly pattern: RegExp;
  private readonly stability: StabilityCheck;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;

  constructor(private readonly options: PickupOptions) {
    this.pattern = globPattern(options.pattern);
    this.stability = new StabilityCheck(options.settleMs);
    this.log = options.log.child({ source: options.sourceId });
  }

  async start(): Promise<void> {
    this.log.info({ folder: this.options.folder.location, pattern: this.options.pattern }, 'file source polling');
    // A failure here is retried by the polling rounds, which report it.
    if (this.options.prepareAtStart) await this.options.folder.prepare().catch(() => undefined);
    this.schedule(0);
  }

  /** Stops polling; a file being taken is finished first (committed files are always archived). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.options.folder.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().then((next) => {
        this.running = undefined;
        this.schedule(next);
      });
    }, delayMs);
  }

  /** One listing and the files it finds complete; answers when to look again. */
  private async round(): Promise<number> {
    const { everyMs, settleMs } = this.options;
    try {
      await this.options.folder.prepare();
      const candidates = (await this.options.folder.list()).filter((e) => this.pattern.test(e.name) && !isInProgressName(e.name));
      const { ready, waiting } = this.stability.observe(candidates, Date.now());
      ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
      for (const entry of ready) {
        if (this.stopped) break;
        await this.take(entry).catch((error: unknown) => {
          // Folder or store away: the round stops. Anything else concerns this file alone: it stays
          // in the folder (the operator reads why in the log) and the others are taken.
          if (error instanceof TransientError) throw error;
          this.log.error({ file: entry.name, err: (error as Error).message }, 'file not taken; it stays in the folder');
        });
      }
      if (this.failures > 0) this.log.info({ after: this.failures }, 'file source working again');
      this.failures = 0;
      // Files still settling are looked at again once they can have settled.
      return waiting > 0 ? Math.min(everyMs, Math.max(settleMs, 100)) : everyMs;
    } catch (error) {
      this.failures++;
      const retryMs =
        Math.min(Math.max(everyMs, LONGEST_RETRY_MS), FIRST_RETRY_MS * 2 ** (this.failures - 1)) * (0.8 + 0.4 * Math.random());
      const transient = error instanceof TransientError;
      this.log[transient ? 'warn' : 'error'](
        { err: (error as Error).message, attempt: this.failures, retryMs: Math.round(retryMs) },
        'file source paused; files stay in the folder',
      );
      return retryMs;
    }
  }

  /** Hands one file to the intake, then archives it with the answer. Throws when the folder or the store is unavailable. */
  private async take(entry: FolderEntry): Promise<void> {
    const { folder, intake, sourceId } = this.options;
    const content = await folder.read(entry.name);
    // PostgreSQL text cannot hold NUL, and no message format has one: such a file (binary, UTF-16)
    // could never be stored, and retrying it would hold up every file behind it.
    const nul = content.indexOf(0);
    if (nul >= 0) return this.refuseUnstorable(entry, nul);
    const raw = content.toString('utf8');
    const receipt = await intake.receive({ raw, contentType: contentTypeOf(entry.name, raw), source: sourceId });
    // Committed: from here on the file must reach the archive, at the latest on the next round.
    const [view, ack] = await Promise.all([this.options.answers.view(receipt.id), this.options.answers.acknowledgement(receipt.id)]).catch(
      (error: unknown) => {
        throw new TransientError('the message store is unavailable; the file is archived on a later round', { cause: error });
      },
    );
    const refused = view?.status === 'failed';
    const to = refused ? 'error' : 'archive';
    const archived = archiveName(entry, receipt.id);
    if (ack) await folder.writeFile(to, acknowledgementName(archived, ack), ack.text);
    if (refused)
      await folder.writeFile(
        to,
        errorName(archived),
        JSON.stringify({ messageId: receipt.id, status: view.status, error: view.error }, null, 2) + '\n',
      );
    await folder.moveTo(entry.name, to, archived);
    this.stability.forget(entry.name);
    this.log.info(
      { file: entry.name, messageId: receipt.id, status: view?.status, duplicate: receipt.duplicate, [to]: archived },
      'file taken',
    );
  }

  /** Moves a file the store cannot hold to the error folder with the reason; nothing is stored. */
  private async refuseUnstorable(entry: FolderEntry, nulAt: number): Promise<void> {
    const archived = archiveName(entry, 'not-stored');
    const error = new ParseError(`${entry.name} is not a text message: it holds a NUL byte (binary, or UTF-16 text)`, [
      { path: `byte ${nulAt}`, rule: 'text', message: 'FHIR JSON, X12 and HL7v2 files are UTF-8 or ASCII text without NUL bytes' },
    ]);
    await this.options.folder.writeFile(
      'error',
      errorName(archived),
      JSON.stringify({ messageId: null, status: 'not-stored', error }, null, 2) + '\n',
    );
    await this.options.folder.moveTo(entry.name, 'error', archived);
    this.stability.forget(entry.name);
    this.log.error({ file: entry.name, error: archived, err: error.message }, 'file refused without storing it');
  }
}
