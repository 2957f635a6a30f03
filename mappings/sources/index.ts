// The engine's front door by format: a detected wire format + raw text → SourceMessage. Only FHIR
// is translated so far; X12 and HL7 v2 are recognised and refused plainly until their turn.

import { ParseError, UnsupportedMessageError } from '../../canonical-model/errors.js';
import type { WireFormat } from '../../connectors/detect.js';
import type { Crosswalk } from '../crosswalk.js';
import { FHIR_UNIT_BINDINGS, readFhirMessage } from './fhir.js';
import { FHIR_FUNCTIONS, fhirFunctions, type FhirUnitContext, type Refuse } from './fhir-functions.js';
import type { SourceMessage } from './source.js';

export type { MappingUnit, SourceMessage } from './source.js';

/** Parses `raw` as `format`; throws ParseError / UnsupportedMessageError with the place. */
export function readMessage(format: WireFormat, raw: string, contentType?: string): SourceMessage {
  switch (format) {
    case 'fhir-json':
      return readFhirMessage(raw, contentType);
    case 'x12':
    case 'hl7v2': {
      const name = format === 'x12' ? 'X12' : 'HL7 v2';
      const message = `${name} is recognised but not translated yet: claimhub translates FHIR R4 Claims on this path`;
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
  return format === 'fhir-r4' ? [...FHIR_FUNCTIONS, ...FHIR_UNIT_BINDINGS] : [];
}

export interface FormatFunctions {
  /** Helpers that hold no per-evaluation state (built once per mapping, at load). */
  shared: Record<string, unknown>;
  /** Helpers bound to one evaluation: its unit's context and its $refuse. */
  perEvaluation(context: unknown, refuse: Refuse): Record<string, unknown>;
}

/** A format's helper functions for one mapping. */
export function formatFunctions(format: string, crosswalks: ReadonlyMap<string, Crosswalk>): FormatFunctions {
  if (format !== 'fhir-r4') return { shared: {}, perEvaluation: () => ({}) };
  const fhir = fhirFunctions(crosswalks);
  return { shared: fhir.shared, perEvaluation: (context, refuse) => fhir.perEvaluation(context as FhirUnitContext, refuse) };
}
