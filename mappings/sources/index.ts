// The engine's front door by format: a detected wire format + raw text → SourceMessage (FHIR R4,
// X12, HL7 v2), and each format's helper functions for its mappings.

import { ParseError } from '../../canonical-model/errors.js';
import type { WireFormat } from '../../connectors/detect.js';
import type { Crosswalk } from '../crosswalk.js';
import { FHIR_UNIT_BINDINGS, readFhirMessage } from './fhir.js';
import { FHIR_FUNCTIONS, fhirFunctions, type FhirUnitContext, type Refuse } from './fhir-functions.js';
import { readHl7Message, type Hl7UnitContext } from './hl7v2.js';
import { HL7_FUNCTIONS, hl7Functions } from './hl7v2-functions.js';
import type { SourceMessage } from './source.js';
import { readX12Message, type X12UnitContext } from './x12.js';
import { X12_FUNCTIONS, x12Functions } from './x12-functions.js';

export type { MappingUnit, SourceMessage } from './source.js';

/** Parses `raw` as `format`; throws ParseError / UnsupportedMessageError with the place. */
export function readMessage(format: WireFormat, raw: string, contentType?: string): SourceMessage {
  switch (format) {
    case 'fhir-json':
      return readFhirMessage(raw, contentType);
    case 'x12':
      return readX12Message(raw);
    case 'hl7v2':
      return readHl7Message(raw);
    case 'unknown': {
      const message = 'cannot tell the format: expected FHIR JSON (starting with {), X12 (ISA…) or HL7 v2 (MSH|, FHS|, BHS|)';
      throw new ParseError(message, [{ path: 'line 1 column 1', rule: 'format', message }]);
    }
  }
}

/** The variables a format adds to every mapping of that format (reserved: bindings cannot reuse them). */
export function formatBindingNames(format: string): readonly string[] {
  if (format === 'fhir-r4') return [...FHIR_FUNCTIONS, ...FHIR_UNIT_BINDINGS];
  if (format === 'hl7v2') return HL7_FUNCTIONS;
  return format === 'x12' ? X12_FUNCTIONS : [];
}

export interface FormatFunctions {
  /** Helpers that hold no per-evaluation state (built once per mapping, at load). */
  shared: Record<string, unknown>;
  /** Helpers bound to one evaluation: its unit's context and its $refuse. */
  perEvaluation(context: unknown, refuse: Refuse): Record<string, unknown>;
}

/** A format's helper functions for one mapping. */
export function formatFunctions(format: string, crosswalks: ReadonlyMap<string, Crosswalk>): FormatFunctions {
  if (format === 'x12') {
    const x12 = x12Functions();
    return { shared: x12.shared, perEvaluation: (context) => x12.perEvaluation(context as X12UnitContext) };
  }
  if (format === 'hl7v2') {
    const hl7 = hl7Functions(crosswalks);
    return { shared: hl7.shared, perEvaluation: (context, refuse) => hl7.perEvaluation(context as Hl7UnitContext, refuse) };
  }
  if (format !== 'fhir-r4') return { shared: {}, perEvaluation: () => ({}) };
  const fhir = fhirFunctions(crosswalks);
  return { shared: fhir.shared, perEvaluation: (context, refuse) => fhir.perEvaluation(context as FhirUnitContext, refuse) };
}
