// Mapping versions as architects manage them through the API: add a version (checked as the hub
// would load it, stored, not yet running), activate one, roll back to the one before. Each change
// is audited in its own transaction, applied in this process before it is answered, and picked
// up by every other process sharing the database through `sync()` (the hub polls it).
import type { Logger } from 'pino';
import { ClaimhubError, ConfigError } from '../canonical-model/errors.js';
import type { MappingInfo, StoredMapping, Translator } from '../mappings/translate.js';
import { appendAudit, auditRecordOf, type AuditActor } from '../store/audit.js';
import type { Db, Queryable } from '../store/db.js';
import {
  activationStamp,
  activationsOf,
  activeReleases,
  addRelease,
  lockActivations,
  MappingVersionTaken,
  recordActivation,
  releaseOf,
  releasesOf,
  type MappingActivation,
  type MappingRelease,
} from '../store/mapping-catalog.js';

export { MappingVersionTaken };

type Mappings = Pick<Translator, 'mappings' | 'fileMapping' | 'compileText' | 'useStored' | 'checkStored'>;

/** Which version of a mapping runs: its file's, or a stored one. */
export interface ActiveVersion {
  version: string;
  origin: 'file' | 'store';
}

export interface MappingVersion extends ActiveVersion {
  checksum: string;
  active: boolean;
  note?: string | null;
  createdBy?: string;
  createdAt?: string;
}

/** What an activation makes run: a version, or nothing (`none`: a mapping without a file stops). */
type Target = { version: string; origin: 'file' | 'store' | 'none' };

abstract class ReleaseError extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
}

/** Neither a file nor a stored version has this name. */
export class MappingNotFound extends ReleaseError {}
/** The mapping has no such version. */
export class MappingVersionNotFound extends ReleaseError {}
/** Running the version would break the hub's mappings (they would clash, or it no longer compiles). */
export class ActivationRefused extends ReleaseError {}
/** Nothing ran before the running version. */
export class NothingToRollBack extends ReleaseError {}

export interface ActivationResult {
  name: string;
  /** null: nothing runs by this name now (a mapping without a file, rolled back past its first version). */
  active: ActiveVersion | null;
  /** null: nothing ran by this name (a mapping that exists only as stored versions). */
  previous: ActiveVersion | null;
  /** false: the version asked for was running already, and nothing was recorded. */
  changed: boolean;
  activation?: MappingActivation;
}

export class MappingReleases {
  private stamp = -1;
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly mappings: Mappings,
    private readonly log: Logger,
    /** Told of the versions each sync makes run (the store records every version that ran). */
    private readonly onApplied: (mappings: MappingInfo[]) => Promise<void> = async () => {},
  ) {}

  /**
   * Applies the active stored versions when an activation has been recorded since the last call
   * (by any process). Calls never overlap; a failed read is logged and retried at the next call.
   */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.syncOnce())
      .catch((error: Error) => {
        this.log.warn({ err: error.message }, 'reading the active mapping versions failed; will try again');
      });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const stamp = await activationStamp(this.db);
    if (stamp === this.stamp) return;
    const releases = await activeReleases(this.db);
    for (const error of this.mappings.useStored(releases))
      this.log.error({ err: error.message, issues: error.issues }, 'a stored mapping version cannot run; keeping what ran before');
    this.stamp = stamp;
    await this.onApplied(this.mappings.mappings().filter((m) => m.origin === 'store'));
  }

  /** The versions of `name`, the file's first, and its activations, newest first. */
  async versions(
    name: string,
  ): Promise<{ name: string; active: ActiveVersion | null; versions: MappingVersion[]; activations: MappingActivation[] }> {
    const [stored, activations] = await Promise.all([releasesOf(this.db, name), activationsOf(this.db, name)]);
    const file = this.mappings.fileMapping(name);
    if (!file && stored.length === 0) throw notFound(name, this.mappings);
    const active = activeOf(activations, file);
    const isActive = (v: ActiveVersion) => v.origin === active?.origin && v.version === active.version;
    return {
      name,
      active,
      versions: [
        ...(file ? [{ version: file.version, origin: 'file' as const, checksum: file.checksum, active: active?.origin === 'file' }] : []),
        ...stored.map((release) => ({ ...versionOf(release), active: isActive({ version: release.version, origin: 'store' }) })),
      ],
      activations,
    };
  }

  /** One version's text: a stored one, or the file's. */
  async text(name: string, version: string): Promise<MappingVersion & { text: string }> {
    const release = await releaseOf(this.db, name, version);
    const active = activeOf(await activationsOf(this.db, name, 1), this.mappings.fileMapping(name));
    if (release) return { ...versionOf(release), text: release.text, active: active?.origin === 'store' && active.version === version };
    const file = this.mappings.fileMapping(name);
    if (file?.version === version)
      return { version, origin: 'file', checksum: file.checksum, text: file.text, active: active?.origin === 'file' };
    throw await this.versionNotFound(this.db, name, version);
  }

  /**
   * Checks `text` as the hub would load it and stores it as a new version of `name`, not running
   * yet. Throws a ConfigError (with the key or line) for a broken file, MappingVersionTaken for a
   * version the mapping has.
   */
  async add(name: string, text: string, by: AuditActor & { actor: string }, note?: string): Promise<MappingVersion> {
    const compiled = this.mappings.compileText(text, `${name} (sent)`);
    if (compiled.name !== name) {
      const message = `the file is named ${compiled.name}, but it was sent as a version of ${name}`;
      throw new ConfigError(message, [{ path: 'name', rule: 'name-matches-path', message }]);
    }
    const file = this.mappings.fileMapping(name);
    if (file?.version === compiled.version) {
      const message = `${name} ${compiled.version} is the version of its file (${file.path}); give this one a new version`;
      throw new MappingVersionTaken(message, [{ path: 'version', rule: 'unique', message }]);
    }
    return this.db.transaction(async (tx) => {
      const release = await addRelease(tx, {
        name,
        version: compiled.version,
        text,
        checksum: compiled.checksum,
        note,
        createdBy: by.actor,
      });
      await appendAudit(
        tx,
        auditRecordOf(by, 'mapping.version.create', `mapping/${name}@${compiled.version}`, {
          checksum: compiled.checksum,
          ...(note ? { note } : {}),
        }),
      );
      return { ...versionOf(release), active: false };
    });
  }

  /** Makes `version` of `name` run (a stored version, or the file's), everywhere. */
  activate(name: string, version: string, by: AuditActor & { actor: string }, reason?: string): Promise<ActivationResult> {
    return this.change(name, by, 'activate', reason, async (tx) => {
      const release = await releaseOf(tx, name, version);
      if (release) return { version, origin: 'store' };
      if (this.mappings.fileMapping(name)?.version === version) return { version, origin: 'file' };
      // Inside the transaction: on PGlite, one connection, a query outside it would wait forever.
      throw await this.versionNotFound(tx, name, version);
    });
  }

  /**
   * Makes the version that ran before the running one run again (repeated, it goes back and forth).
   * Before the first stored version came the file; a mapping that has no file stops running.
   */
  rollback(name: string, by: AuditActor & { actor: string }, reason?: string): Promise<ActivationResult> {
    return this.change(name, by, 'rollback', reason, async (tx, current) => {
      if (!current) {
        const message = `${name} does not run: activate one of its versions`;
        throw new NothingToRollBack(message, [{ path: 'name', rule: 'rollback', message }]);
      }
      const history = await activationsOf(tx, name, 1000);
      const earlier = history.slice(1).find((a) => a.origin !== current.origin || (a.origin === 'store' && a.version !== current.version));
      if (earlier) return { version: earlier.version, origin: earlier.origin };
      if (current.origin === 'store') {
        const file = this.mappings.fileMapping(name);
        return file ? { version: file.version, origin: 'file' } : { version: current.version, origin: 'none' };
      }
      const message = `${name} runs its file (${current.version}) and nothing ran before it`;
      throw new NothingToRollBack(message, [{ path: 'name', rule: 'rollback', message }]);
    });
  }

  /**
   * One activation: under the activation lock, works out the target, checks that the whole set of
   * mappings still loads with it, records it with its audit record, then applies it here.
   */
  private async change(
    name: string,
    by: AuditActor & { actor: string },
    action: MappingActivation['action'],
    reason: string | undefined,
    target: (tx: Queryable, current: ActiveVersion | null) => Promise<Target>,
  ): Promise<ActivationResult> {
    const result = await this.db.transaction(async (tx): Promise<ActivationResult> => {
      await lockActivations(tx);
      const file = this.mappings.fileMapping(name);
      const history = await activationsOf(tx, name, 1);
      if (!file && history.length === 0 && (await releasesOf(tx, name)).length === 0) throw notFound(name, this.mappings);
      const current = activeOf(history, file);
      const next = await target(tx, current);
      if (current && next.origin === current.origin && next.version === current.version)
        return { name, active: current, previous: current, changed: false };
      const running = await activeReleases(tx);
      const others = running.filter((r) => r.name !== name);
      const candidate: StoredMapping[] = next.origin === 'store' ? [...others, (await releaseOf(tx, name, next.version))!] : others;
      const [problem, ...more] = this.mappings.checkStored(candidate);
      if (problem) {
        const issues = [problem, ...more].flatMap((error) => error.issues);
        throw new ActivationRefused(`${name} ${next.version} cannot run: ${problem.message}`, issues);
      }
      const activation = await recordActivation(tx, {
        name,
        version: next.version,
        origin: next.origin,
        action,
        reason: reason ?? null,
        actor: by.actor,
      });
      await appendAudit(
        tx,
        auditRecordOf(by, `mapping.${action}`, `mapping/${name}`, {
          version: next.version,
          origin: next.origin,
          previous: current,
          ...(reason ? { reason } : {}),
        }),
      );
      const active = next.origin === 'store' || (next.origin === 'file' && file) ? { version: next.version, origin: next.origin } : null;
      return { name, active, previous: current, changed: true, activation };
    });
    if (result.changed) await this.sync();
    return result;
  }

  private async versionNotFound(db: Queryable, name: string, version: string): Promise<MappingVersionNotFound | MappingNotFound> {
    const file = this.mappings.fileMapping(name);
    const known = [...(file ? [`${file.version} (file)`] : []), ...(await releasesOf(db, name)).map((r) => r.version)];
    if (known.length === 0) return notFound(name, this.mappings);
    const message = `${name} has no version ${version} (versions: ${known.join(', ') || 'none'})`;
    return new MappingVersionNotFound(message, [{ path: 'version', rule: 'exists', message }]);
  }
}

/** What runs by a name: its newest activation's stored version, else its file; null when neither. */
function activeOf(newestFirst: readonly MappingActivation[], file: MappingInfo | undefined): ActiveVersion | null {
  const [latest] = newestFirst;
  if (latest?.origin === 'store') return { version: latest.version, origin: 'store' };
  return file ? { version: file.version, origin: 'file' } : null;
}

function versionOf(release: MappingRelease): Omit<MappingVersion, 'active'> {
  return {
    version: release.version,
    origin: 'store',
    checksum: release.checksum,
    note: release.note,
    createdBy: release.createdBy,
    createdAt: release.createdAt,
  };
}

function notFound(name: string, mappings: Mappings): MappingNotFound {
  const message = `no mapping is named ${name.slice(0, 200)} (running: ${mappings
    .mappings()
    .map((m) => m.name)
    .join(', ')})`;
  return new MappingNotFound(message, [{ path: 'name', rule: 'exists', message }]);
}
