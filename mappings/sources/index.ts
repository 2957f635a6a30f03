// The engine's front door by format: a detected wire format + raw text → SourceMessage. FHIR R4 and
// X12 are translated; HL7 v2 is recognised and refused plainly until its turn.

import { ParseError, UnsupportedMessageError } from '../../canonical-model/errors.js';
import type { WireFormat } from '../../connectors/detect.js';
import type { Crosswalk } from '../crosswalk.js';
import { FHIR_UNIT_BINDINGS, readFhirMessage } from './fhir.js';
import { FHIR_FUNCTIONS, fhirFunctions, type FhirUnitContext, type Refuse } from './fhir-functions.js';
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
    case 'hl7v2': {
      const message = 'HL7 v2 is recognised but not translated yet: claimhub translates FHIR R4 and X12 on this path';
      throw new UnsupportedMessageError(message, [{ path: '$', rule: 'format', message }]);
    }
    case 'unknown': {
      const message = 'cannot tell the format: expected FHIR JSON (starting with {), X12 (ISA…) or HL7 v2 (MSH|, FHS|, BHS|)';
      throw new ParseError(message, [{ path: 'line 1 column 1', rule: 'format', message }]);
    }
  }
}

/** The variables a format adds to every mapping of that format (reserved: bindings cannot reuse them). */
export function formatBindingNames(format: string): readonly string[] {
  if (format === 'fhir-r4') return [...FHIR_FUNCTIONS, ...FHIR_UNIT_BINDINGS];
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
  if (format !== 'fhir-r4') return { shared: {}, perEvaluation: () => ({}) };
  const fhir = fhirFunctions(crosswalks);
  return { shared: fhir.shared, perEvaluation: (context, refuse) => fhir.perEvaluation(context as FhirUnitContext, refuse) };
}
