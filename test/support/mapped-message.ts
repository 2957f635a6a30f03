// Stores a message as intake and the mapping stage would have (one canonical claim, status
// received), for worker tests that start at routing and delivery.
import { createHash, randomUUID } from 'node:crypto';
import { mappingStageUnit } from '../../routes/stage-units.js';
import type { GroupCommit } from '../../store/group-commit.js';
import { professionalClaim } from '../canonical-model/fixtures.js';

/** Commits a mapped claim message and returns its id. */
export async function storeMappedClaim(commits: GroupCommit, claimNumber?: string): Promise<string> {
  const id = randomUUID();
  const claim = claimNumber === undefined ? professionalClaim() : { ...professionalClaim(), claimNumber };
  const unit = mappingStageUnit(
    id,
    { ok: true, format: 'fhir-r4', messageType: 'Claim', controlNumbers: {}, mapping: 'test@1.0.0', objects: [claim] },
    'test',
  );
  unit.newMessages = [
    {
      id,
      source: 'test',
      format: 'fhir-r4',
      messageType: 'Claim',
      contentType: null,
      contentHash: createHash('sha256').update(id).digest('hex'),
      raw: '{}',
      status: 'received',
      error: null,
      controlIds: {},
      mapping: null,
    },
  ];
  await commits.commit(unit);
  return id;
}
