// Puts the loop tree between the envelope reader and its caller: each set of a guide with a loop
// definition goes through a LoopTreeBuilder; 837 claims come out one by one as they end, any other
// set (835, 278, 999) as one tree at its SE; the set's structure findings join the envelope findings
// of its transaction-set-end event (as IK3 lines of the 999 would).
import type { EnvelopeEvent, EnvelopeHandlers, TransactionSetEnd, TransactionSetStart } from '../envelope-events.js';
import type { Segment } from '../segment.js';
import type { CompiledDefinition } from './definition.js';
import { loopDefinitionsFor } from './loop-definitions.js';
import { checkElements } from '../elements/check.js';
import type { ElementContext } from '../elements/element-finding.js';
import { LoopTreeBuilder, type ClaimInContext, type LoopNode } from './loop-tree.js';

export interface StructureHandlers {
  /** Every envelope event; a transaction-set-end also carries the set's structure findings. */
  onEvent(event: EnvelopeEvent): void;
  /** Each claim of an 837 as soon as it ends, with the set it belongs to. */
  onClaim?(claim: ClaimInContext, set: TransactionSetStart): void;
  /**
   * Each set of a guide without a claim loop (835, 278, 999) as one loop tree (the ST loop), right
   * before its transaction-set-end event, which it is given with the structure findings included.
   */
  onTransactionSet?(tree: LoopNode, set: TransactionSetEnd): void;
}

export interface StructureReaderOptions {
  /**
   * Also check every element of every segment the tree places (elements/check.ts: lengths, types,
   * code values, dates, syntax notes, guide usage), with the loop it landed in; the findings join
   * the set's as 999 IK4s. Costs ≈0.3 µs a segment, so readers that only need the tree leave it off.
   */
  checkElements?: boolean;
}

export class StructureReader implements EnvelopeHandlers {
  private readonly handlers: StructureHandlers;
  private readonly options: StructureReaderOptions;
  private builder: LoopTreeBuilder | null = null;
  /** A set whose definition the segment after ST decides (278 BHT02): its start, and its ST once read. */
  private undecided: { set: TransactionSetStart; choose: (beginning: Segment) => CompiledDefinition; st: Segment | null } | null = null;

  constructor(handlers: StructureHandlers, options: StructureReaderOptions = {}) {
    this.handlers = handlers;
    this.options = options;
  }

  onSegment(segment: Segment): void {
    if (this.builder !== null) this.builder.push(segment);
    else if (this.undecided?.st === null) this.undecided.st = segment;
    else if (this.undecided !== null) this.decide(segment);
  }

  onEvent(event: EnvelopeEvent): void {
    if (event.kind === 'transaction-set-start') this.start(event);
    if (event.kind !== 'transaction-set-end') return this.handlers.onEvent(event);
    // A set that ended right after its ST is read by the definition its ST alone chooses.
    if (this.undecided?.st) this.decide(this.undecided.st);
    const builder = this.builder;
    this.builder = null;
    this.undecided = null;
    if (builder === null) return this.handlers.onEvent(event);
    if (event.trailer === null) builder.end();
    const end = { ...event, findings: [...event.findings, ...builder.findings] };
    if (builder.root !== null && builder.definition.claimLoop === undefined) this.handlers.onTransactionSet?.(builder.root, end);
    this.handlers.onEvent(end);
  }

  private start(set: TransactionSetStart): void {
    const definitions = loopDefinitionsFor(set.header, set.group?.version);
    if (typeof definitions === 'function') this.undecided = { set, choose: definitions, st: null };
    else if (definitions !== undefined) this.builder = this.builderFor(definitions, set);
  }

  /** Builds the set's tree from the definition `beginning` (the segment after ST) chooses, ST first. */
  private decide(beginning: Segment): void {
    const { set, choose, st } = this.undecided!;
    this.undecided = null;
    this.builder = this.builderFor(choose(beginning), set);
    this.builder.push(st!);
    if (beginning !== st) this.builder.push(beginning);
  }

  private builderFor(definition: CompiledDefinition, set: TransactionSetStart): LoopTreeBuilder {
    const controls = {
      interchange: set.interchange.controlNumber,
      group: set.group?.controlNumber ?? null,
      transactionSet: set.header.controlNumber,
    };
    if (!this.options.checkElements) return new LoopTreeBuilder(definition, controls, (claim) => this.handlers.onClaim?.(claim, set));
    const context: ElementContext = { guide: definition.guide, loopId: null, controls };
    const delimiters = set.interchange.delimiters;
    const builder: LoopTreeBuilder = new LoopTreeBuilder(
      definition,
      controls,
      (claim) => this.handlers.onClaim?.(claim, set),
      (segment, loopId) => {
        context.loopId = loopId;
        const found = checkElements(segment, delimiters, context);
        if (found.length > 0) builder.addFindings(found);
      },
    );
    return builder;
  }
}
