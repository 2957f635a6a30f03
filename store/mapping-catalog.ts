// Mapping versions added through the API and which version of each mapping runs
// (migration 0010). Files under the mapping directories are the base layer; the newest activation
// of a name says whether its file or one of its stored versions runs, in every hub process that
// shares this database (each polls `stamp()` and applies `active()` when it moves).
import { ClaimhubError } from '../canonical-model/errors.js';
import type { Queryable } from './db.js';

export interface MappingRelease {
  name: string;
  version: string;
  checksum: string;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

export interface MappingActivation {
  id: number;
  name: string;
  version: string;
  /** none: a mapping without a file stopped running. */
  origin: 'file' | 'store' | 'none';
  action: 'activate' | 'rollback';
  reason: string | null;
  actor: string;
  at: string;
}

/** Serialises activations (any constant shared by every writer): each checks the whole active set. */
const ACTIVATION_LOCK = 0x636d6170; // 'cmap'

/** The version sent is already stored for this mapping: versions are immutable, send a new one. */
export class MappingVersionTaken extends ClaimhubError {
  readonly errorClass = 'validation' as const;
  readonly permanent = true;
  static of(name: string, version: string): MappingVersionTaken {
    const message = `${name} already has a version ${version}; versions cannot be changed, give this one a new version`;
    return new MappingVersionTaken(message, [{ path: 'version', rule: 'unique', message }]);
  }
}

const RELEASE_COLUMNS = `name, version, checksum, note, created_by AS "createdBy", to_json(created_at) #>> '{}' AS "createdAt"`;
const ACTIVATION_COLUMNS = `id::int AS id, name, version, origin, action, reason, actor, to_json(at) #>> '{}' AS at`;

/** Stores a new version; throws MappingVersionTaken when the name has it already. */
export async function addRelease(
  db: Queryable,
  release: { name: string; version: string; text: string; checksum: string; note?: string; createdBy: string },
): Promise<MappingRelease> {
  const { rows } = await db.query<MappingRelease>(
    `INSERT INTO mapping_releases (name, version, text, checksum, note, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name, version) DO NOTHING
     RETURNING ${RELEASE_COLUMNS}`,
    [release.name, release.version, release.text, release.checksum, release.note ?? null, release.createdBy],
  );
  if (rows.length === 0) throw MappingVersionTaken.of(release.name, release.version);
  return rows[0];
}

/** The stored versions of `name`, newest first. */
export async function releasesOf(db: Queryable, name: string): Promise<MappingRelease[]> {
  const { rows } = await db.query<MappingRelease>(
    `SELECT ${RELEASE_COLUMNS} FROM mapping_releases WHERE name = $1 ORDER BY created_at DESC, version DESC`,
    [name],
  );
  return rows;
}

/** One stored version with its text. */
export async function releaseOf(db: Queryable, name: string, version: string): Promise<(MappingRelease & { text: string }) | undefined> {
  const { rows } = await db.query<MappingRelease & { text: string }>(
    `SELECT ${RELEASE_COLUMNS}, text FROM mapping_releases WHERE name = $1 AND version = $2`,
    [name, version],
  );
  return rows[0];
}

/** The names that have stored versions (a mapping may exist only in the store). */
export async function storedNames(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT DISTINCT name FROM mapping_releases ORDER BY name`);
  return rows.map((row) => row.name);
}

/** The activations of `name`, newest first. */
export async function activationsOf(db: Queryable, name: string, limit = 50): Promise<MappingActivation[]> {
  const { rows } = await db.query<MappingActivation>(
    `SELECT ${ACTIVATION_COLUMNS} FROM mapping_activations WHERE name = $1 ORDER BY id DESC LIMIT $2`,
    [name, limit],
  );
  return rows;
}

/** The stored versions that run now: the newest activation of each name, where it is a stored one. */
export async function activeReleases(db: Queryable): Promise<{ name: string; version: string; text: string; checksum: string }[]> {
  const { rows } = await db.query<{ name: string; version: string; text: string; checksum: string }>(
    `SELECT r.name, r.version, r.text, r.checksum
       FROM (SELECT DISTINCT ON (name) name, version, origin FROM mapping_activations ORDER BY name, id DESC) a
       JOIN mapping_releases r ON r.name = a.name AND r.version = a.version
      WHERE a.origin = 'store'
      ORDER BY r.name`,
  );
  return rows;
}

/** Moves whenever any activation is recorded: what processes poll to know they must reload. */
export async function activationStamp(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ stamp: number }>(`SELECT coalesce(max(id), 0)::int AS stamp FROM mapping_activations`);
  return rows[0].stamp;
}

/**
 * Takes the activation lock for the rest of the caller's transaction: an activation checks the
 * whole active set (two mappings may not take one message type), so activations go one at a time.
 */
export async function lockActivations(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [ACTIVATION_LOCK]);
}

export async function recordActivation(
  tx: Queryable,
  activation: Pick<MappingActivation, 'name' | 'version' | 'origin' | 'action' | 'reason' | 'actor'>,
): Promise<MappingActivation> {
  const { rows } = await tx.query<MappingActivation>(
    `INSERT INTO mapping_activations (name, version, origin, action, reason, actor) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${ACTIVATION_COLUMNS}`,
    [activation.name, activation.version, activation.origin, activation.action, activation.reason, activation.actor],
  );
  return rows[0];
}
