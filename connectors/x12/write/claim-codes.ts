// The HI segments of a claim (2300): ICD-10-CM diagnoses, and on institutional claims the DRG,
// ICD-10-PCS procedures and the NUBC occurrence, occurrence span, value and condition codes.
import type { Claim, Code, Diagnosis } from '../../../canonical-model/types.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

const ICD_10_DIAGNOSIS_SYSTEMS = ['ICD-10-CM', 'ICD-10'];

/** A diagnosis in the order HI carries it, with the canonical index (for paths). */
interface Placed {
  diagnosis: Diagnosis;
  index: number;
}

/** What the 837P HI writes, and where each diagnosis sequence landed (SV107 points at HI positions). */
export interface ProfessionalDiagnoses {
  segments: SegmentOut[];
  /** Diagnosis sequence → 1-based position in HI01…HI12. */
  positions: Map<number, number>;
}

/** 837P: HI*ABK (principal) then ABF (up to 11 more); condition codes as HI*BG. */
export function professionalCodes(v: ValueWriter, claim: Claim): ProfessionalDiagnoses {
  const [principal, others] = splitPrincipal(v, claim);
  const ordered = principal === undefined ? others : [principal, ...others];
  if (ordered.length > 12) v.refuse('$.diagnoses', 'diagnosis-limit', `HI (2300) holds 12 diagnoses; the claim has ${ordered.length}`);
  const positions = new Map(ordered.map(({ diagnosis }, i) => [diagnosis.sequence, i + 1]));
  const codes = ordered.map((placed, i) => v.composite(i === 0 ? 'ABK' : 'ABF', diagnosisCode(v, placed)));
  const segments: SegmentOut[] = codes.length > 0 ? [['HI', ...codes.slice(0, 12)]] : [];
  const conditions = (claim.institutional?.conditionCodes ?? []).map((code, i) =>
    v.composite('BG', nubcCode(v, code, `$.institutional.conditionCodes[${i}]`, 'condition')),
  );
  segments.push(...inSegments(v, conditions, 24, '$.institutional.conditionCodes', 'condition codes'));
  return { segments, positions };
}

/** 837I: ABK, ABJ, APR, DR, ABF, BBR, BBQ, BI, BH, BE, BG in the guide's order. */
export function institutionalCodes(v: ValueWriter, claim: Claim): SegmentOut[] {
  const [principal, rest] = splitPrincipal(v, claim);
  const of = (kind: Diagnosis['kind']) => rest.filter(({ diagnosis }) => diagnosis.kind === kind);
  const withPoa = (qualifier: string, placed: Placed) =>
    v.composite(qualifier, diagnosisCode(v, placed), '', '', '', '', '', '', poa(placed));
  const plain = (qualifier: string, placed: Placed) => v.composite(qualifier, diagnosisCode(v, placed));
  const info = claim.institutional ?? {};
  const segments: SegmentOut[] = [];
  if (principal !== undefined) segments.push(['HI', withPoa('ABK', principal)]);
  segments.push(
    ...inSegments(
      v,
      of('admitting').map((d) => plain('ABJ', d)),
      1,
      '$.diagnoses',
      'admitting diagnoses',
    ),
  );
  segments.push(
    ...inSegments(
      v,
      of('reason-for-visit').map((d) => plain('APR', d)),
      3,
      '$.diagnoses',
      "patient's reasons for visit",
    ),
  );
  const drg = v.text(info.drgCode, '$.institutional.drgCode', 'HI01-2 DRG (2300)', 30);
  if (drg !== undefined) segments.push(['HI', v.composite('DR', drg)]);
  segments.push(
    ...inSegments(
      v,
      of('other').map((d) => withPoa('ABF', d)),
      24,
      '$.diagnoses',
      'other diagnoses',
    ),
  );
  segments.push(...procedureCodes(v, claim));
  const spans = (info.occurrenceSpanCodes ?? []).map(({ code, period }, i) => {
    const path = `$.institutional.occurrenceSpanCodes[${i}]`;
    const range = v.period(period, `${path}.period`, 'HI occurrence span dates', 'RD8');
    return v.composite('BI', nubcCode(v, code, `${path}.code`, 'occurrence span'), range?.format, range?.value);
  });
  segments.push(...inSegments(v, spans, 24, '$.institutional.occurrenceSpanCodes', 'occurrence span codes'));
  const occurrences = (info.occurrenceCodes ?? []).map(({ code, date }, i) => {
    const path = `$.institutional.occurrenceCodes[${i}]`;
    return v.composite('BH', nubcCode(v, code, `${path}.code`, 'occurrence'), 'D8', v.date(date, `${path}.date`, 'HI occurrence date'));
  });
  segments.push(...inSegments(v, occurrences, 24, '$.institutional.occurrenceCodes', 'occurrence codes'));
  const values = (info.valueCodes ?? []).map(({ code, amount }, i) => {
    const path = `$.institutional.valueCodes[${i}]`;
    return v.composite('BE', nubcCode(v, code, `${path}.code`, 'value'), '', '', v.amount(amount, `${path}.amount`, 'HI value amount'));
  });
  segments.push(...inSegments(v, values, 24, '$.institutional.valueCodes', 'value codes'));
  const conditions = (info.conditionCodes ?? []).map((code, i) =>
    v.composite('BG', nubcCode(v, code, `$.institutional.conditionCodes[${i}]`, 'condition')),
  );
  segments.push(...inSegments(v, conditions, 24, '$.institutional.conditionCodes', 'condition codes'));
  return segments;
}

/** BBR (principal) and BBQ (other) ICD-10-PCS procedures, each with its date. */
function procedureCodes(v: ValueWriter, claim: Claim): SegmentOut[] {
  const procedures = (claim.institutional?.procedures ?? []).map((procedure, index) => ({ procedure, index }));
  const principal = procedures.filter(({ procedure }) => procedure.kind === 'principal');
  const others = procedures.filter(({ procedure }) => procedure.kind !== 'principal');
  if (principal.length > 1)
    v.refuse(
      '$.institutional.procedures',
      'principal-procedure',
      `one principal procedure (BBR) at most; the claim has ${principal.length}`,
    );
  if (principal.length === 0 && others.length > 0)
    v.refuse('$.institutional.procedures', 'principal-procedure', 'other procedures (BBQ) need a principal procedure (BBR)');
  const written = ({ procedure, index }: (typeof procedures)[number], qualifier: string) => {
    const path = `$.institutional.procedures[${index}]`;
    if (procedure.code.system !== 'ICD-10-PCS')
      v.refuse(`${path}.code.system`, 'code-system', `HI ${qualifier}: procedure code system "${procedure.code.system}" is not ICD-10-PCS`);
    const code = v.text(procedure.code.code.replaceAll('.', '').toUpperCase(), `${path}.code.code`, `HI ${qualifier} procedure code`, 7, 7);
    const date =
      procedure.date === undefined
        ? v.refuse(`${path}.date`, 'required', `HI ${qualifier}: the procedure date is required`)
        : v.date(procedure.date, `${path}.date`, `HI ${qualifier} procedure date`);
    return v.composite(qualifier, code, 'D8', date);
  };
  return [
    ...principal.slice(0, 1).map((p): SegmentOut => ['HI', written(p, 'BBR')]),
    ...inSegments(
      v,
      others.map((p) => written(p, 'BBQ')),
      24,
      '$.institutional.procedures',
      'other procedures',
    ),
  ];
}

/** The principal diagnosis (kind `principal`; on a professional claim the first one if none is marked) and the others by sequence. */
function splitPrincipal(v: ValueWriter, claim: Claim): [Placed | undefined, Placed[]] {
  const all = claim.diagnoses.map((diagnosis, index) => ({ diagnosis, index })).sort((a, b) => a.diagnosis.sequence - b.diagnosis.sequence);
  const principals = all.filter(({ diagnosis }) => diagnosis.kind === 'principal');
  if (principals.length > 1)
    v.refuse('$.diagnoses', 'principal-diagnosis', `HI*ABK holds one principal diagnosis; the claim marks ${principals.length}`);
  const principal = principals[0] ?? (claim.type === 'professional' ? all[0] : undefined);
  if (principal === undefined) v.refuse('$.diagnoses', 'principal-diagnosis', 'HI*ABK (2300): the principal diagnosis is required');
  return [principal, all.filter((placed) => placed !== principal)];
}

/** ICD-10-CM code as X12 writes it: no decimal point (`path` is the diagnosis's). */
export function icd10Code(v: ValueWriter, diagnosis: Diagnosis, path: string): string | undefined {
  if (!ICD_10_DIAGNOSIS_SYSTEMS.includes(diagnosis.code.system))
    return v.refuse(`${path}.code.system`, 'code-system', `HI: diagnosis code system "${diagnosis.code.system}" is not ICD-10-CM`);
  const code = diagnosis.code.code.replace('.', '').toUpperCase();
  if (!/^[A-Z][0-9][0-9A-Z]{1,5}$/.test(code))
    return v.refuse(`${path}.code.code`, 'icd-10-code', `HI: "${diagnosis.code.code}" is not an ICD-10-CM code`);
  return code;
}

const diagnosisCode = (v: ValueWriter, { diagnosis, index }: Placed) => icd10Code(v, diagnosis, `$.diagnoses[${index}]`);

/** HI0n-9 present on admission: Y, N, U, W; exempt ("1") is left empty in 5010. */
function poa({ diagnosis }: Placed): string | undefined {
  return diagnosis.presentOnAdmission === '1' ? undefined : diagnosis.presentOnAdmission;
}

/** A NUBC condition, occurrence or value code: two letters or digits. */
function nubcCode(v: ValueWriter, code: Code, path: string, what: string): string | undefined {
  return v.text(code.code, `${path}.code`, `HI ${what} code`, 2, 2);
}

/** Composites spread over HI segments of 12, refused beyond `max`. */
function inSegments(v: ValueWriter, composites: string[], max: number, path: string, what: string): SegmentOut[] {
  if (composites.length > max) v.refuse(path, 'hi-limit', `HI (2300) holds ${max} ${what}; the claim has ${composites.length}`);
  const segments: SegmentOut[] = [];
  for (let at = 0; at < Math.min(composites.length, max); at += 12) segments.push(['HI', ...composites.slice(at, Math.min(at + 12, max))]);
  return segments;
}
