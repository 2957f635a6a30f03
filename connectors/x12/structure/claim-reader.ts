// Puts the loop tree between the envelope reader and its caller: each 837 set's segments go through
// a LoopTreeBuilder for its guide, claims come out one by one, and the set's structure findings join
// the envelope findings of its transaction-set-end event (as IK3 lines of the 999 would).
import type { EnvelopeEvent, EnvelopeHandlers, TransactionSetStart } from '../envelope-events.js';
import type { Segment } from '../segment.js';
import type { CompiledDefinition } from './definition.js';
import { DEFINITION_837I } from './definitions-837i.js';
import { DEFINITION_837P } from './definitions-837p.js';
import { LoopTreeBuilder, type ClaimInContext } from './loop-tree.js';

/** The loop definitions by implementation guide (GS08, or ST03 when it names one). */
export const LOOP_DEFINITIONS: Readonly<Record<string, CompiledDefinition>> = {
  [DEFINITION_837P.guide]: DEFINITION_837P,
  [DEFINITION_837I.guide]: DEFINITION_837I,
};

export interface ClaimHandlers {
  /** Every envelope event; a transaction-set-end also carries the set's structure findings. */
  onEvent(event: EnvelopeEvent): void;
  /** Each claim as soon as it ends, with the set it belongs to. */
  onClaim(claim: ClaimInContext, set: TransactionSetStart): void;
}

export class ClaimStructureReader implements EnvelopeHandlers {
  private readonly handlers: ClaimHandlers;
  private builder: LoopTreeBuilder | null = null;

  constructor(handlers: ClaimHandlers) {
    this.handlers = handlers;
  }

  onSegment(segment: Segment): void {
    this.builder?.push(segment);
  }

  onEvent(event: EnvelopeEvent): void {
    if (event.kind === 'transaction-set-start') this.builder = this.builderFor(event);
    if (event.kind === 'transaction-set-end' && this.builder !== null) {
      const builder = this.builder;
      this.builder = null;
      if (event.trailer === null) builder.end();
      return this.handlers.onEvent({ ...event, findings: [...event.findings, ...builder.findings] });
    }
    this.handlers.onEvent(event);
  }

  private builderFor(set: TransactionSetStart): LoopTreeBuilder | null {
    const definition = LOOP_DEFINITIONS[set.header.implementationReference ?? set.group?.version ?? ''];
    if (definition === undefined || set.header.id !== '837') return null;
    const controls = {
      interchange: set.interchange.controlNumber,
      group: set.group?.controlNumber ?? null,
      transactionSet: set.header.controlNumber,
    };
    return new LoopTreeBuilder(definition, controls, (claim) => this.handlers.onClaim(claim, set));
  }
}
