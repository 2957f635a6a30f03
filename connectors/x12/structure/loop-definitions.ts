// The loop definitions claimhub reads, by implementation guide (GS08, or ST03 when it names one).
import { IMPLEMENTATION_GUIDES } from '../implementation-guides.js';
import type { TransactionSetHeader } from '../envelope-events.js';
import type { Segment } from '../segment.js';
import type { CompiledDefinition } from './definition.js';
import { definition278 } from './definitions-278.js';
import { DEFINITION_835 } from './definitions-835.js';
import { DEFINITION_837I } from './definitions-837i.js';
import { DEFINITION_837P } from './definitions-837p.js';
import { DEFINITION_999 } from './definitions-999.js';

/**
 * A guide's loop structure: one definition, or, when the guide's sets differ by purpose (278 request
 * and response), the choice made from the segment after ST.
 */
export type LoopDefinitions = CompiledDefinition | ((beginning: Segment) => CompiledDefinition);

/** The guides whose sets come out claim by claim. */
export const CLAIM_DEFINITIONS: Readonly<Record<string, CompiledDefinition>> = {
  [DEFINITION_837P.guide]: DEFINITION_837P,
  [DEFINITION_837I.guide]: DEFINITION_837I,
};

/** Every guide the structure reader reads: the claim guides, and those it reads as one tree per set. */
export const STRUCTURE_DEFINITIONS: Readonly<Record<string, LoopDefinitions>> = {
  ...CLAIM_DEFINITIONS,
  [DEFINITION_835.guide]: DEFINITION_835,
  '005010X217': definition278,
  [DEFINITION_999.guide]: DEFINITION_999,
};

/** The definitions for a set, by ST03 or else GS08; undefined when the guide is unknown or is not for this ST01. */
export function loopDefinitionsFor(header: TransactionSetHeader, groupVersion: string | undefined): LoopDefinitions | undefined {
  const guide = header.implementationReference ?? groupVersion ?? '';
  if (IMPLEMENTATION_GUIDES[guide]?.transactionSet !== header.id) return undefined;
  return STRUCTURE_DEFINITIONS[guide];
}
