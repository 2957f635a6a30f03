// The helpers every hl7v2 mapping gets (see mappings/README.md): datatypes (hl7v2-datatypes.ts)
// and the parts of a claim or patient update that take several segments: the patient (PID), the
// coverages (IN1 with its IN2), the diagnoses (DG1, FT1-19) with each line's pointers, the line's
// procedure (FT1-25/FT1-7, FT1-26), ICD-10-PCS procedures (PR1) and the billing provider from the
// crosswalk. Native because JSONata costs ~1 µs an evaluation step, and every claim calls them.
// Each refuses what it cannot read at its HL7 place, through the evaluation's $refuse.

import type { Code, Coverage, CoverageRank, Diagnosis, Person, Provider } from '../../canonical-model/types.js';
import type { SegmentJson } from '../../connectors/hl7v2/message-json.js';
import type { Crosswalk } from '../crosswalk.js';
import {
  address, amount, code, codesOf, date, dateTime, firstRep, identifiers, name, provider, quantity, repsOf, text,
  type Hl7Tables, type Refuse, type Rep, type SentCode,
} from './hl7v2-datatypes.js';
import type { Hl7UnitContext } from './hl7v2.js';

/** Names these helpers take in every hl7v2 mapping. */
export const HL7_FUNCTIONS = [
  'date', 'dateTime', 'amount', 'quantity', 'code', 'name', 'address', 'identifiers', 'provider',
  'patient', 'coverages', 'diagnosesOf', 'pointersOf', 'procedure', 'procedures', 'billingProvider',
] as const;

/** The crosswalk names the helpers read (a mapping declares the ones it needs). */
const TABLE_NAMES = ['codingSystem', 'identifierType', 'relationship', 'billingProvider'] as const;

const GENDERS: Readonly<Record<string, Person['gender']>> = { F: 'female', M: 'male', U: 'unknown', N: 'unknown', O: 'other', A: 'other', X: 'other' };
const RANKS: readonly CoverageRank[] = ['primary', 'secondary', 'tertiary'];
const ICD_10_CM = 'ICD-10-CM';
/** ICD-10-CM shape (with or without its dot), for codes sent without a coding system. */
const ICD_10_CM_SHAPE = /^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/;
const CPT_SHAPE = /^[0-9]{4}[0-9A-Z]$/;
const HCPCS_SHAPE = /^[A-V][0-9]{4}$/;

export function hl7Functions(crosswalks: ReadonlyMap<string, Crosswalk>) {
  const tables: Hl7Tables = Object.fromEntries(TABLE_NAMES.map((key) => [key, crosswalks.get(key)]));
  return {
    shared: {
      name,
      address,
      identifiers: (value: unknown) => identifiers(value, tables),
    },
    perEvaluation(context: Hl7UnitContext, refuse: Refuse) {
      return {
        date: (value: unknown, field: unknown) => date(value, field, refuse),
        dateTime: (value: unknown, field: unknown) => dateTime(value, field, refuse),
        amount: (segment: unknown, field: unknown) => amount(segment, field, refuse),
        quantity: (segment: unknown, field: unknown) => quantity(segment, field, refuse),
        code: (value: unknown, field: unknown, prefer: unknown) => code(value, field, prefer, tables),
        provider: (value: unknown, field: unknown) => provider(value, field, refuse),
        patient: (pid: unknown) => patient(pid, tables, refuse),
        coverages: (in1: unknown, in2: unknown) => coverages(in1, in2, tables, refuse),
        diagnosesOf: (dg1: unknown, ft1: unknown) => diagnosesOf(dg1, ft1, tables, refuse),
        pointersOf: (ft1: unknown, diagnoses: unknown) => pointersOf(ft1, diagnoses, context, tables),
        procedure: (ft1: unknown) => procedure(ft1, tables, refuse),
        procedures: (pr1: unknown) => procedures(pr1, tables, refuse),
        billingProvider: (msh: unknown, pv1: unknown) => billingProvider(msh, pv1, tables, refuse),
      };
    },
  };
}

function segmentsOf(value: unknown): SegmentJson[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((segment): segment is SegmentJson => typeof (segment as SegmentJson)?.position === 'number');
}

function fieldText(segment: SegmentJson | undefined, designator: string, component = 'C1'): string | undefined {
  return text((segment?.[designator] as Rep[] | undefined)?.[0], component);
}

// ---- patient ----------------------------------------------------------------------------------

/**
 * `$patient(PID)`: PID-5 name (refused without a family name), PID-7 birth date, PID-8 sex,
 * PID-11 address, PID-3 identifiers (those typed MR first) and PID-19 SSN when PID-3 has none.
 */
function patient(value: unknown, tables: Hl7Tables, refuse: Refuse): Person | undefined {
  const [pid] = segmentsOf(value);
  if (pid === undefined) return refuse('PID', 'patient', 'the message has no PID segment: a claim or patient update needs the patient');
  const personName = name(pid.PID_5);
  if (personName === undefined) return refuse([pid, 'PID-5'], 'patient-name', 'PID-5 patient name has no family name');
  const result: Person = { name: personName };
  const birthDate = date(pid, 'PID-7', refuse);
  if (birthDate !== undefined) result.birthDate = birthDate;
  const gender = GENDERS[fieldText(pid, 'PID_8') ?? ''];
  if (gender !== undefined) result.gender = gender;
  const home = address(pid.PID_11);
  if (home !== undefined) result.address = home;
  const ids = identifiers(pid.PID_3, tables);
  const ssn = fieldText(pid, 'PID_19');
  if (ssn !== undefined && !ids.some((id) => id.type === 'ssn' && id.value === ssn)) ids.push({ type: 'ssn', value: ssn });
  if (ids.length > 0) result.identifiers = ids;
  return result;
}

// ---- coverages --------------------------------------------------------------------------------

/**
 * `$coverages(IN1, IN2)`: every IN1 (with the IN2 right after it) in IN1-1 set id order, ranked
 * primary, secondary, tertiary in that order. An IN1 that repeats an earlier one word for word
 * (DFT^P11 repeats the insurance per charge) is skipped; one that repeats its set id with other
 * content is refused. Member id: IN1-36 policy number, else IN1-49 insured's ID. Payer: IN1-4
 * name, IN1-3 id, IN1-5 address. Relationship: IN1-17 through the `relationship` crosswalk; empty
 * means self only when IN1-16 names no insured. The subscriber (not self): IN1-16 name, IN1-18
 * birth date, IN1-43 sex, IN1-19 address, IN2-2 SSN.
 */
function coverages(in1Value: unknown, in2Value: unknown, tables: Hl7Tables, refuse: Refuse): Coverage[] | undefined {
  const in2s = segmentsOf(in2Value);
  const bySetId = new Map<string, SegmentJson>();
  const kept: SegmentJson[] = [];
  for (const in1 of segmentsOf(in1Value)) {
    const setId = fieldText(in1, 'IN1_1');
    const earlier = setId === undefined ? undefined : bySetId.get(setId);
    if (earlier === undefined) {
      if (setId !== undefined) bySetId.set(setId, in1);
      kept.push(in1);
    } else if (!sameContent(earlier, in1)) {
      refuse([in1, 'IN1-1'], 'coverage-set-id', `IN1-1 set id ${setId} is used again with other plan data: each set id names one coverage`);
    }
  }
  const ordered = kept
    .map((in1, index) => ({ in1, index, setId: Number(fieldText(in1, 'IN1_1') ?? Number.NaN) }))
    .sort((a, b) => (Number.isNaN(a.setId) || Number.isNaN(b.setId) ? a.index - b.index : a.setId - b.setId || a.index - b.index));
  const result = ordered.map(({ in1 }, rank) => coverage(in1, in2s.find((in2) => in2.position === in1.position + 1), RANKS[rank] ?? 'unknown', tables, refuse));
  return result.length > 0 ? result.filter((c): c is Coverage => c !== undefined) : undefined;
}

function sameContent(a: SegmentJson, b: SegmentJson): boolean {
  return JSON.stringify({ ...a, position: 0 }) === JSON.stringify({ ...b, position: 0 });
}

function coverage(in1: SegmentJson, in2: SegmentJson | undefined, rank: CoverageRank, tables: Hl7Tables, refuse: Refuse): Coverage | undefined {
  const memberId = fieldText(in1, 'IN1_36') ?? fieldText(in1, 'IN1_49');
  if (memberId === undefined) refuse([in1, 'IN1-36'], 'member-id', "no member id: IN1-36 policy number and IN1-49 insured's ID number are empty");
  const payerName = fieldText(in1, 'IN1_4');
  if (payerName === undefined) refuse([in1, 'IN1-4'], 'payer-name', 'IN1-4 insurance company name is empty');
  const relationship = relationshipOf(in1, tables, refuse);
  if (memberId === undefined || payerName === undefined || relationship === undefined) return undefined;
  const payer: Coverage['payer'] = { name: payerName };
  const payerId = fieldText(in1, 'IN1_3');
  if (payerId !== undefined) payer.payerId = payerId;
  const payerAddress = address(in1.IN1_5);
  if (payerAddress !== undefined) payer.address = payerAddress;
  const result: Coverage = { rank, payer, memberId, relationship };
  const groupNumber = fieldText(in1, 'IN1_8');
  if (groupNumber !== undefined) result.groupNumber = groupNumber;
  const groupName = fieldText(in1, 'IN1_9');
  if (groupName !== undefined) result.groupName = groupName;
  if (relationship !== 'self') {
    const subscriber = insured(in1, in2, refuse);
    if (subscriber !== undefined) result.subscriber = subscriber;
  }
  return result;
}

function relationshipOf(in1: SegmentJson, tables: Hl7Tables, refuse: Refuse): Coverage['relationship'] | undefined {
  const sent = fieldText(in1, 'IN1_17');
  if (sent === undefined) {
    if (name(in1.IN1_16) === undefined) return 'self'; // no insured named: the patient holds the policy
    return refuse([in1, 'IN1-17'], 'relationship', "IN1-17 insured's relationship to the patient is empty while IN1-16 names an insured");
  }
  const relationship = tables.relationship?.get(sent) as Coverage['relationship'] | undefined;
  if (relationship !== undefined) return relationship;
  return refuse([in1, 'IN1-17'], 'relationship', `IN1-17 relationship code "${sent}" is not in the relationship crosswalk (HL7 table 0063)`);
}

function insured(in1: SegmentJson, in2: SegmentJson | undefined, refuse: Refuse): Person | undefined {
  const insuredName = name(in1.IN1_16);
  if (insuredName === undefined) return refuse([in1, 'IN1-16'], 'subscriber-name', 'IN1-16 names no insured (family name) for a patient who is not the subscriber');
  const result: Person = { name: insuredName };
  const birthDate = date(in1, 'IN1-18', refuse);
  if (birthDate !== undefined) result.birthDate = birthDate;
  const gender = GENDERS[fieldText(in1, 'IN1_43') ?? ''];
  if (gender !== undefined) result.gender = gender;
  const home = address(in1.IN1_19);
  if (home !== undefined) result.address = home;
  const ssn = fieldText(in2, 'IN2_2');
  if (ssn !== undefined) result.identifiers = [{ type: 'ssn', value: ssn }];
  return result;
}

// ---- diagnoses ----------------------------------------------------------------------------------

/** A diagnosis code in the form codes are compared in (upper case, no dot). */
const normalized = (value: string) => value.replace('.', '').toUpperCase();

/** The ICD-10-CM code of a CWE repetition, or why there is none. */
function icd10(rep: Rep | undefined, tables: Hl7Tables): { code?: string; refused?: SentCode } {
  const codes = codesOf(rep, tables);
  const icd = codes.find((c) => c.system === ICD_10_CM) ?? codes.find((c) => c.system === '' && ICD_10_CM_SHAPE.test(c.code.toUpperCase()));
  return icd ? { code: icd.code } : { refused: codes[0] };
}

/**
 * `$diagnosesOf(DG1, FT1)`: the claim's diagnoses: the DG1s (DG1-15 priority 1 first, then in
 * order), then FT1-19 codes no DG1 gave, numbered from 1, each code once. ICD-10-CM only (DG1-3.3
 * I10, or a code of its shape sent without a system); any other system is refused at its field.
 * The first is principal; a DG1-6 A (admitting) one is admitting; the others are other.
 */
function diagnosesOf(dg1Value: unknown, ft1Value: unknown, tables: Hl7Tables, refuse: Refuse): Diagnosis[] | undefined {
  const dg1s = segmentsOf(dg1Value);
  const ordered = [...dg1s.filter((dg1) => fieldText(dg1, 'DG1_15') === '1'), ...dg1s.filter((dg1) => fieldText(dg1, 'DG1_15') !== '1')];
  const found: { code: string; admitting: boolean }[] = [];
  const seen = new Set<string>();
  const add = (icd: string, admitting: boolean) => {
    if (seen.has(normalized(icd))) return;
    seen.add(normalized(icd));
    found.push({ code: icd, admitting });
  };
  const refusedCodes = new Set<string>();
  const check = (rep: Rep | undefined, segment: SegmentJson, field: string): string | undefined => {
    const { code: icd, refused } = icd10(rep, tables);
    if (icd !== undefined || refused === undefined || refusedCodes.has(refused.code)) return icd;
    refusedCodes.add(refused.code);
    const sent = refused.sentSystem ? `coded ${refused.sentSystem}${refused.system !== refused.sentSystem ? ` (${refused.system})` : ''}` : 'sent without a coding system and not shaped like ICD-10-CM';
    return refuse([segment, field], 'diagnosis-code-system', `diagnosis ${refused.code} is ${sent}: a claim's diagnoses are ICD-10-CM (coding system I10)`);
  };
  for (const dg1 of ordered) {
    const icd = check(firstRep(dg1.DG1_3), dg1, 'DG1-3');
    if (icd !== undefined) add(icd, fieldText(dg1, 'DG1_6') === 'A');
  }
  for (const ft1 of segmentsOf(ft1Value)) {
    for (const rep of repsOf(ft1.FT1_19)) {
      const icd = check(rep, ft1, 'FT1-19');
      if (icd !== undefined) add(icd, false);
    }
  }
  if (found.length === 0) return undefined;
  return found.map(({ code: icd, admitting }, index) => ({
    sequence: index + 1,
    code: { system: ICD_10_CM, code: icd },
    kind: index === 0 ? 'principal' : admitting ? 'admitting' : 'other',
  }));
}

/**
 * `$pointersOf(FT1, diagnoses)`: the sequences of the line's diagnoses: its FT1-19 codes and, in a
 * DFT^P11, the DG1s of its own financial group (after it, before the next FT1 or PV1).
 */
function pointersOf(ft1Value: unknown, diagnosesValue: unknown, context: Hl7UnitContext, tables: Hl7Tables): number[] | undefined {
  const [ft1] = segmentsOf(ft1Value);
  const diagnoses = (Array.isArray(diagnosesValue) ? diagnosesValue : diagnosesValue ? [diagnosesValue] : []) as Diagnosis[];
  if (ft1 === undefined || diagnoses.length === 0) return undefined;
  const reps = repsOf(ft1.FT1_19);
  if (context.messageType === 'DFT^P11') {
    for (const segment of context.ordered.slice(ft1.position)) {
      const id = context.message.segments[segment.position - 1].id;
      if (id === 'FT1' || id === 'PV1') break;
      if (id === 'DG1') reps.push(...repsOf(segment.DG1_3).slice(0, 1));
    }
  }
  const pointers: number[] = [];
  for (const rep of reps) {
    const icd = icd10(rep, tables).code;
    const sequence = icd === undefined ? undefined : diagnoses.find((d) => normalized(d.code.code) === normalized(icd))?.sequence;
    if (sequence !== undefined && !pointers.includes(sequence)) pointers.push(sequence);
  }
  return pointers.length > 0 ? pointers : undefined;
}

// ---- procedures -------------------------------------------------------------------------------

/**
 * `$procedure(FT1)`: the line's CPT/HCPCS code, `{ procedure, modifiers }`: FT1-25, else FT1-7
 * when it is one (FT1-7 is often a charge-master code). The system comes from CWE.3 through the
 * `codingSystem` crosswalk; sent without one, a code shaped like CPT (5 characters, 4 digits
 * first) or HCPCS (a letter and 4 digits) is taken as such. FT1-25 in another system is refused;
 * undefined when neither field holds one. Modifiers: FT1-26, four at most.
 */
function procedure(ft1Value: unknown, tables: Hl7Tables, refuse: Refuse): { procedure: Code; modifiers?: string[] } | undefined {
  const [ft1] = segmentsOf(ft1Value);
  if (ft1 === undefined) return undefined;
  const fromProcedureCode = serviceCode(firstRep(ft1.FT1_25), tables);
  const sent = codesOf(firstRep(ft1.FT1_25), tables)[0];
  if (fromProcedureCode === undefined && sent !== undefined) {
    return refuse([ft1, 'FT1-25'], 'procedure-code-system', `procedure ${sent.code} is ${sent.sentSystem ? `coded ${sent.sentSystem}` : 'not shaped like CPT or HCPCS'}: a claim line bills CPT (C4) or HCPCS`);
  }
  const found = fromProcedureCode ?? serviceCode(firstRep(ft1.FT1_7), tables);
  if (found === undefined) return undefined;
  const modifiers = repsOf(ft1.FT1_26).map((rep) => text(rep, 'C1')).filter((modifier): modifier is string => modifier !== undefined);
  if (modifiers.length > 4) refuse([ft1, 'FT1-26'], 'modifiers', `FT1-26 holds ${modifiers.length} modifiers; a claim line has room for 4`);
  return modifiers.length > 0 ? { procedure: found, modifiers: modifiers.slice(0, 4) } : { procedure: found };
}

function serviceCode(rep: Rep | undefined, tables: Hl7Tables): Code | undefined {
  for (const sent of codesOf(rep, tables)) {
    if (sent.system === 'CPT' || sent.system === 'HCPCS') return { system: sent.system, code: sent.code };
    if (sent.system !== '') continue;
    if (CPT_SHAPE.test(sent.code)) return { system: 'CPT', code: sent.code };
    if (HCPCS_SHAPE.test(sent.code)) return { system: 'HCPCS', code: sent.code };
  }
  return undefined;
}

/**
 * `$procedures(PR1)`: an institutional claim's procedures: PR1-3 in ICD-10-PCS (PR1-3.3 I10P),
 * PR1-5 date, principal when PR1-14 priority is 1 (else the first). Other systems are refused
 * at PR1-3: bill CPT/HCPCS on the FT1 lines instead.
 */
function procedures(pr1Value: unknown, tables: Hl7Tables, refuse: Refuse) {
  const pr1s = segmentsOf(pr1Value);
  const principal = pr1s.find((pr1) => fieldText(pr1, 'PR1_14') === '1') ?? pr1s[0];
  const found = pr1s.flatMap((pr1) => {
    const codes = codesOf(firstRep(pr1.PR1_3), tables);
    const pcs = codes.find((c) => c.system === 'ICD-10-PCS');
    if (pcs === undefined) {
      const [sent] = codes;
      if (sent !== undefined) refuse([pr1, 'PR1-3'], 'procedure-code-system', `procedure ${sent.code} is ${sent.sentSystem ? `coded ${sent.sentSystem}` : 'sent without a coding system'}: an institutional claim's procedures are ICD-10-PCS (I10P); bill CPT/HCPCS on the FT1 lines`);
      return [];
    }
    const procedureDate = date(pr1, 'PR1-5', refuse);
    return [{ code: { system: 'ICD-10-PCS', code: pcs.code }, ...(procedureDate ? { date: procedureDate } : {}), kind: pr1 === principal ? 'principal' as const : 'other' as const }];
  });
  return found.length > 0 ? found : undefined;
}

// ---- billing provider -------------------------------------------------------------------------

/**
 * `$billingProvider(MSH, PV1)`: a DFT names no billing provider, so it comes from the mapping's
 * `billingProvider` crosswalk, keyed `<MSH-4.1>/<PV1-3.4>` (sending facility / the visit's
 * facility) and then `<MSH-4.1>`, each field a key of its own: `.name`, `.npi`, `.taxId`,
 * `.taxonomy`, `.entityType` (organization unless `person`), `.address.line1`, `.address.line2`,
 * `.address.city`, `.address.state`, `.address.postalCode`. No entry, or one without name or
 * NPI, is refused at MSH-4 with the key to add.
 */
function billingProvider(mshValue: unknown, pv1Value: unknown, tables: Hl7Tables, refuse: Refuse): Provider | undefined {
  const [msh] = segmentsOf(mshValue);
  const [pv1] = segmentsOf(pv1Value);
  const facility = fieldText(msh, 'MSH_4');
  const location = fieldText(pv1, 'PV1_3', 'C4');
  const table = tables.billingProvider;
  const at = [msh, 'MSH-4'];
  if (facility === undefined) return refuse(at, 'billing-provider', 'MSH-4 sending facility is empty: the billing provider is looked up by it');
  const keys = [...(location === undefined ? [] : [`${facility}/${location}`]), facility];
  const key = keys.find((candidate) => table?.has(`${candidate}.name`) || table?.has(`${candidate}.npi`));
  const crosswalk = 'the mapping\'s billingProvider crosswalk (shipped: mappings/crosswalks/hl7-billing-provider.yaml)';
  if (key === undefined || table === undefined) {
    const where = location === undefined ? `sending facility ${facility} (MSH-4)` : `sending facility ${facility} (MSH-4), facility ${location} (PV1-3.4)`;
    return refuse(at, 'billing-provider', `no billing provider for ${where}: add "${facility}.name", "${facility}.npi", "${facility}.taxId"… to ${crosswalk}`);
  }
  const value = (field: string) => table.get(`${key}.${field}`);
  const providerName = value('name');
  const npi = value('npi');
  if (providerName === undefined || npi === undefined || !/^\d{10}$/.test(npi)) {
    const missing = providerName === undefined ? 'a name' : npi === undefined ? 'an NPI' : `a ten-digit NPI (has "${npi}")`;
    return refuse(at, 'billing-provider', `the billing provider "${key}" in ${crosswalk} needs ${missing}`);
  }
  const result: Provider = { entityType: value('entityType') === 'person' ? 'person' : 'organization', name: providerName, npi };
  const taxId = value('taxId');
  if (taxId !== undefined) result.taxId = taxId;
  const taxonomy = value('taxonomy');
  if (taxonomy !== undefined) result.taxonomy = taxonomy;
  const line1 = value('address.line1');
  if (line1 !== undefined) {
    result.address = { lines: [line1, value('address.line2')].filter((line): line is string => line !== undefined) };
    for (const part of ['city', 'state', 'postalCode'] as const) {
      const found = value(`address.${part}`);
      if (found !== undefined) result.address[part] = found;
    }
  }
  return result;
}

