// Fresh, typed copies of the canonical sample objects in test/fixtures/canonical, so a test can
// break one field without disturbing the next test.

import { readFileSync } from 'node:fs';
import type { Acknowledgement, Claim, PriorAuthorization, Remittance } from '../../canonical-model/index.js';

const load =
  <T>(name: string) =>
  (): T =>
    JSON.parse(readFileSync(new URL(`../fixtures/canonical/${name}.json`, import.meta.url), 'utf8')) as T;

export const professionalClaim = load<Claim>('claim-professional');
export const institutionalClaim = load<Claim>('claim-institutional');
export const remittance = load<Remittance>('remittance');
export const priorAuthorization = load<PriorAuthorization>('prior-authorization');
export const acknowledgement = load<Acknowledgement>('acknowledgement-999');
