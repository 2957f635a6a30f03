// What the hub tests that send claims out as 837s share: the x12 destination block of a config, and
// the FHIR acceptance bundle made writable as an 837.
import { readFile } from 'node:fs/promises';
import { PROFILE } from '../connectors/x12/write/support.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';

/** A `destinations:` entry: the x12 destination `clearinghouse` writing into ./x12-out, quick retries. */
export const CLEARINGHOUSE_DESTINATION = `
  - id: clearinghouse
    type: x12
    dir: ./x12-out
    retry: { attempts: 3, backoff: { type: fixed, delay: 100ms } }
    profile: ${JSON.stringify(PROFILE)}`;

/**
 * The FHIR acceptance bundle with the claim filing indicator an 837 requires (SBR09), which the
 * fixture leaves out; with `claimNumber`, under that claim number.
 */
export async function bundleWithFilingIndicator(claimNumber?: string): Promise<string> {
  const bundle = JSON.parse(await readFile(ACCEPTANCE_BUNDLE, 'utf8'));
  const coverage = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Coverage').resource;
  coverage.type = { coding: [{ system: 'https://codesystem.x12.org/005010/1032', code: 'CI' }] };
  const text = JSON.stringify(bundle);
  return claimNumber === undefined ? text : text.replaceAll('ACC-5520-01', claimNumber);
}
