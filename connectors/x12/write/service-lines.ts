// Loop 2400 of an 837: LX, SV1 (professional) or SV2 (institutional), the service date, line
// references, the NDC of a drug line (2410 LIN/CTP) and the line's own rendering provider (2420).
import type { Claim, Ndc, ServiceLine } from '../../../canonical-model/types.js';
import type { ClaimGuide } from './claim-levels.js';
import { lineProviders } from './claim-providers.js';
import type { SegmentOut } from './serialize.js';
import type { ValueWriter } from './values.js';

const MAX_LINES: Readonly<Record<ClaimGuide, number>> = { '837P': 50, '837I': 999 };
const NDC_UNITS = ['F2', 'GR', 'ME', 'ML', 'UN'] as const;

export interface LineContext {
  /** CLM05-1 (837P): a line's place of service is written only when it differs. */
  placeOfService?: string;
  /** Diagnosis sequence → HI position (837P SV107). */
  diagnosisPositions: Map<number, number>;
}

export function serviceLines(v: ValueWriter, claim: Claim, guide: ClaimGuide, context: LineContext): SegmentOut[] {
  if (claim.serviceLines.length > MAX_LINES[guide])
    v.refuse(
      '$.serviceLines',
      'line-limit',
      `loop 2400 repeats ${MAX_LINES[guide]} times in ${guide}; the claim has ${claim.serviceLines.length} lines`,
    );
  return claim.serviceLines.flatMap((line, index) => {
    const path = `$.serviceLines[${index}]`;
    const service = guide === '837P' ? professionalService(v, line, path, context) : institutionalService(v, line, path);
    const date = guide === '837P' ? (line.serviceDate ?? claim.billablePeriod) : line.serviceDate;
    const datePath = line.serviceDate === undefined ? '$.billablePeriod' : `${path}.serviceDate`;
    if (date === undefined && guide === '837P') v.refuse(`${path}.serviceDate`, 'required', 'DTP*472 (2400): the service date is required');
    const serviceDate = v.period(date, datePath, 'DTP03 service date (2400)');
    const references: SegmentOut[] = [];
    // 837P 2400 REF*G1: required when the line's authorization differs from the claim's (837I has no line REF*G1).
    if (guide === '837P' && line.priorAuthorizationNumber !== undefined && line.priorAuthorizationNumber !== claim.priorAuthorizationNumber)
      references.push([
        'REF',
        'G1',
        v.text(line.priorAuthorizationNumber, `${path}.priorAuthorizationNumber`, 'REF02 prior authorization (2400)', 50),
      ]);
    const control = v.text(line.lineControlNumber, `${path}.lineControlNumber`, 'REF02 line item control number (2400)', 50);
    if (control !== undefined) references.push(['REF', '6R', control]);
    return [
      ['LX', String(index + 1)],
      service,
      ...(serviceDate === undefined ? [] : [['DTP', '472', serviceDate.format, serviceDate.value] as SegmentOut]),
      ...references,
      ...(line.ndc === undefined ? [] : drug(v, line.ndc, `${path}.ndc`)),
      ...lineProviders(v, claim, index, guide),
    ];
  });
}

/** SV1: HC:procedure:modifiers, charge, UN/MJ, units, place of service when not the claim's, diagnosis pointers. */
function professionalService(v: ValueWriter, line: ServiceLine, path: string, context: LineContext): SegmentOut {
  const unit = v.code(line.unitType ?? 'UN', `${path}.unitType`, 'SV103 unit basis (837P)', ['UN', 'MJ']);
  const placeOfService = line.placeOfService?.code;
  const pointers = line.diagnosisPointers ?? [];
  if (pointers.length === 0) v.refuse(`${path}.diagnosisPointers`, 'required', 'SV107 (2400): the line must point at a diagnosis');
  if (pointers.length > 4) v.refuse(`${path}.diagnosisPointers`, 'diagnosis-pointer-limit', 'SV107 holds four diagnosis pointers');
  const positions = pointers.slice(0, 4).map((sequence, i) => {
    const position = context.diagnosisPositions.get(sequence);
    if (position === undefined)
      v.refuse(`${path}.diagnosisPointers[${i}]`, 'diagnosis-pointer-exists', `SV107: no diagnosis ${sequence} on the claim`);
    return position === undefined ? undefined : String(position);
  });
  return [
    'SV1',
    procedure(v, line, path, 'SV101', true),
    v.amount(line.charge, `${path}.charge`, 'SV102 line charge'),
    unit,
    v.quantity(line.units, `${path}.units`, 'SV104 service units'),
    placeOfService === context.placeOfService
      ? undefined
      : v.text(placeOfService, `${path}.placeOfService.code`, 'SV105 place of service', 2, 2),
    undefined,
    v.composite(...positions),
  ];
}

/** SV2: revenue code, HC:procedure:modifiers when there is one, charge, UN/DA, units. */
function institutionalService(v: ValueWriter, line: ServiceLine, path: string): SegmentOut {
  const revenue = line.revenueCode?.code;
  const revenueCode =
    revenue === undefined
      ? v.refuse(`${path}.revenueCode`, 'required', 'SV201 (2400): an institutional line needs a revenue code')
      : /^\d{3,4}$/.test(revenue)
        ? revenue.padStart(4, '0')
        : v.refuse(`${path}.revenueCode.code`, 'revenue-code', `SV201: "${revenue}" is not a NUBC revenue code (four digits)`);
  return [
    'SV2',
    revenueCode,
    line.procedure === undefined ? undefined : procedure(v, line, path, 'SV202', false),
    v.amount(line.charge, `${path}.charge`, 'SV203 line charge'),
    v.code(line.unitType ?? 'UN', `${path}.unitType`, 'SV204 unit basis (837I)', ['UN', 'DA']),
    v.quantity(line.units, `${path}.units`, 'SV205 service units'),
  ];
}

/** SV101 / SV202 composite: qualifier (HC for CPT and HCPCS, HP for HIPPS), code, up to four modifiers. */
function procedure(v: ValueWriter, line: ServiceLine, path: string, element: string, required: boolean): string | undefined {
  const code = line.procedure;
  if (code === undefined) {
    if (required) v.refuse(`${path}.procedure`, 'required', `${element} (2400): a professional line needs a procedure code`);
    return undefined;
  }
  const qualifier =
    code.system === 'CPT' || code.system === 'HCPCS'
      ? 'HC'
      : code.system === 'HIPPS' && element === 'SV202'
        ? 'HP'
        : v.refuse(`${path}.procedure.system`, 'code-system', `${element}-1: procedure code system "${code.system}" is not CPT or HCPCS`);
  const modifiers = line.modifiers ?? [];
  if (modifiers.length > 4)
    v.refuse(`${path}.modifiers`, 'modifier-limit', `${element} holds four modifiers; the line has ${modifiers.length}`);
  return v.composite(
    qualifier,
    v.text(code.code.toUpperCase(), `${path}.procedure.code`, `${element}-2 procedure code`, 48),
    ...modifiers
      .slice(0, 4)
      .map((modifier, i) => v.text(modifier.toUpperCase(), `${path}.modifiers[${i}]`, `${element}-${i + 3} modifier`, 2, 2)),
  );
}

/** 2410: LIN with the 11-digit NDC (5-4-2), CTP with the drug quantity and its unit. */
function drug(v: ValueWriter, ndc: Ndc, path: string): SegmentOut[] {
  const quantity =
    ndc.quantity === undefined
      ? v.refuse(`${path}.quantity`, 'required', 'CTP04 (2410): the drug quantity is required')
      : v.quantity(ndc.quantity, `${path}.quantity`, 'CTP04 drug quantity');
  const unit =
    ndc.unit === undefined
      ? v.refuse(`${path}.unit`, 'required', 'CTP05-1 (2410): the drug unit (F2, GR, ME, ML, UN) is required')
      : v.code(ndc.unit, `${path}.unit`, 'CTP05-1 drug unit', NDC_UNITS);
  return [
    ['LIN', undefined, 'N4', ndc11(v, ndc.code, `${path}.code`)],
    ['CTP', undefined, undefined, undefined, quantity, v.composite(unit)],
  ];
}

/** An NDC in the 11-digit 5-4-2 form X12 wants: a hyphenated 10-digit code (4-4-2, 5-3-2, 5-4-1) is padded. */
function ndc11(v: ValueWriter, code: string, path: string): string | undefined {
  const parts = code.trim().split('-');
  if (parts.length === 1 && /^\d{11}$/.test(code.trim())) return code.trim();
  if (parts.length === 3 && parts.every((part) => /^\d+$/.test(part))) {
    const [labeler, product, pack] = parts;
    if (labeler.length <= 5 && product.length <= 4 && pack.length <= 2 && labeler.length + product.length + pack.length >= 10)
      return labeler.padStart(5, '0') + product.padStart(4, '0') + pack.padStart(2, '0');
  }
  return v.refuse(path, 'ndc', `LIN03 (2410): "${code}" is not an 11-digit NDC or a hyphenated 10-digit one`);
}
