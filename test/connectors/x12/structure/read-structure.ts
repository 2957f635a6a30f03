// Reads X12 text through the envelope and structure readers the way a caller does, collecting the
// trees of 835, 278 and 999 sets and the structure findings, with segment ordinals as pyx12 counts.
import { EnvelopeReader } from '../../../../connectors/x12/envelope.js';
import type { TransactionSetEnd } from '../../../../connectors/x12/envelope-events.js';
import type { LoopNode, StructureFinding } from '../../../../connectors/x12/structure/loop-tree.js';
import { StructureReader } from '../../../../connectors/x12/structure/structure-reader.js';
import { tokenize } from '../../../../connectors/x12/tokenizer.js';

export interface StructureRead {
  trees: LoopNode[];
  /** The transaction-set-end each tree came with. */
  sets: TransactionSetEnd[];
  findings: StructureFinding[];
  ordinal: (offset: number) => number;
}

export function readStructure(text: string): StructureRead {
  const segments = tokenize(text);
  const ordinals = new Map(segments.map((segment, index) => [segment.offset, index + 1]));
  const result: StructureRead = { trees: [], sets: [], findings: [], ordinal: (offset) => ordinals.get(offset)! };
  const reader = new EnvelopeReader(
    new StructureReader({
      onTransactionSet: (tree, set) => {
        result.trees.push(tree);
        result.sets.push(set);
      },
      onEvent: (event) => {
        if (event.kind === 'transaction-set-end')
          result.findings.push(...event.findings.filter((f): f is StructureFinding => 'loopId' in f));
      },
    }),
  );
  for (const segment of segments) reader.push(segment);
  reader.end();
  return result;
}

/** The child loops of `node` with loop id `id`. */
export function loops(node: LoopNode, id: string): LoopNode[] {
  return node.loops.filter((child) => child.loop === id);
}

/** The elements of each `id` segment of `node`. */
export function elements(node: LoopNode, id: string): string[][] {
  return node.segments.filter((segment) => segment.id === id).map((segment) => segment.elements);
}

/** Every loop under `node` (itself included) with loop id `id`, depth first. */
export function allLoops(node: LoopNode, id: string): LoopNode[] {
  return [...(node.loop === id ? [node] : []), ...node.loops.flatMap((child) => allLoops(child, id))];
}

/** `[code, rule, loop id]` of each finding, for assertions a reader can check against the 999 it would give. */
export function coded(read: StructureRead): Array<[string, string, string]> {
  return read.findings.map((f) => [f.code, f.rule, f.loopId]);
}
