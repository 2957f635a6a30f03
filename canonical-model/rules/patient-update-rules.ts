// Patient update rules: a patient the hub can find claims for, coverages in a billable order and
// dates that can both be true.

import type { Issue } from '../errors.js';
import type { PatientUpdate } from '../types.js';
import { duplicates, type Rule } from './rule.js';

/** Open claims are found by the patient's identifiers: an update without one cannot be recorded anywhere. */
export function patientIdentifierRequired(update: PatientUpdate): Issue[] {
  if ((update.patient.identifiers?.length ?? 0) > 0) return [];
  return [
    {
      path: '$.patient.identifiers',
      rule: 'patient-identifier-required',
      message: 'a patient update needs at least one patient identifier: the claims it applies to are found by it',
    },
  ];
}

/** One primary, one secondary, one tertiary coverage at most (as on a claim). */
export function coverageRanksUnique(update: PatientUpdate): Issue[] {
  const ranked = (update.coverages ?? []).map((coverage, index) => ({ coverage, index })).filter(({ coverage }) => coverage.rank !== 'unknown');
  return duplicates(ranked, ({ coverage }) => coverage.rank, (i) => `$.coverages[${ranked[i].index}].rank`, 'coverage-rank-unique', 'coverage rank');
}

/** A patient is not born after the event that registers or updates them (ISO dates compare as strings). */
export function birthDateNotAfterEvent(update: PatientUpdate): Issue[] {
  const { birthDate } = update.patient;
  const eventDate = update.occurredAt.slice(0, 10);
  if (birthDate === undefined || birthDate <= eventDate) return [];
  return [{ path: '$.patient.birthDate', rule: 'birth-date-after-event', message: `born ${birthDate}, after the ${update.event} on ${eventDate}` }];
}

export const patientUpdateRules: readonly Rule<PatientUpdate>[] = [patientIdentifierRequired, coverageRanksUnique, birthDateNotAfterEvent];
