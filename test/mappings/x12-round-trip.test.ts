// Round trip: canonical claim → 837 (connectors/x12/write) → read → x12-837p / x12-837i mapping →
// canonical claim, equal on every mapped field. The claims are the writer tests' samples (every part
// of a claim the 837 carries: secondary coverage, dependents, NDC lines, accidents, institutional
// codes) and the claims the mappings make of corpus 837s brought to what a 5010 837 must carry
// today (ICD-10 codes, nine-digit billing ZIP).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Claim } from '../../canonical-model/types.js';
import { write837 } from '../../connectors/x12/write/write-837.js';
import { CORPUS } from '../support/corpus.js';
import { NOW, PROFILE } from '../connectors/x12/write/support.js';
import {
  autoAccidentInstitutionalClaim,
  dependentWithSecondaryClaim,
  drugLineClaim,
  fullInstitutionalClaim,
  fullProfessionalClaim,
} from '../connectors/x12/write/claims.js';
import { shippedTranslator } from './helpers.js';

let next = 1000;
const controlNumbers = async (_kind: string, count: number) => Array.from({ length: count }, () => next++);

async function mapped(raw: string): Promise<Claim[]> {
  const translation = await (await shippedTranslator()).translate({ raw, source: 'round-trip' });
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  return translation.objects as Claim[];
}

/** What a trip through X12 cannot keep the same: hub stamps, and what the writer leaves out on purpose. */
function comparable(claim: Claim): Record<string, unknown> {
  const { provenance: _provenance, id: _id, status: _status, createdDate: _created, ...rest } = claim;
  return JSON.parse(JSON.stringify(rest));
}

/** A corpus claim as a current 837 carries it: ICD-10 diagnoses, nine-digit ZIPs for the billing provider. */
function current(text: string): string {
  return text
    .replace(/HI\*BK:[^~*]+/g, 'HI*ABK:S42001A')
    .replace(/\*BF:[^~*]+/g, '*ABF:V4930XA')
    .replace(/HI\*BF:[^~*]+/g, 'HI*ABF:V4930XA')
    .replace(/(N4\*[A-Z ]+\*[A-Z]{2}\*)(\d{5})~/g, '$1$20001~');
}

const FILES = [
  '837p/stupidedi-837p-ambulance.edi',
  '837p/stupidedi-837p-medicare-secondary-payer-COB.edi',
  '837i/stupidedi-837i-ppo-repriced-claim.edi',
  '837i/stupidedi-837i-two-claims-for-the-same-provider.edi',
];

async function roundTrip(original: Claim[], label: string): Promise<void> {
  let written;
  try {
    written = await write837(original, { profile: PROFILE, controlNumbers, now: NOW });
  } catch (error) {
    assert.fail(`${label}: the writer refused: ${(error as Error).message} ${JSON.stringify((error as { issues?: unknown }).issues)}`);
  }
  const back = await mapped(written.text);
  assert.deepEqual(back.map(comparable), original.map(comparable));
}

describe('X12 round trip: canonical → 837 → canonical', () => {
  const samples: [string, () => Claim][] = [
    ['full professional claim', fullProfessionalClaim],
    ['full institutional claim', fullInstitutionalClaim],
    ['dependent with secondary coverage', dependentWithSecondaryClaim],
    ['drug line with NDC', drugLineClaim],
    ['institutional auto accident', autoAccidentInstitutionalClaim],
  ];
  for (const [label, make] of samples) {
    it(label, async () => {
      // what the mapping would make of it: written, read back once, then compared on the second trip
      const once = await mapped((await write837([make()], { profile: PROFILE, controlNumbers, now: NOW })).text);
      await roundTrip(once, label);
    });
  }
  for (const file of FILES) {
    it(file, async () => {
      await roundTrip(await mapped(current(readFileSync(join(CORPUS, 'x12', file), 'utf8'))), file);
    });
  }
});
