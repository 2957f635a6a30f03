// What the writer tests share: a trading-partner profile, control numbers from the real counter
// store, and reading a written interchange back through claimhub's own X12 reader.
import type { EnvelopeEvent } from '../../../../connectors/x12/envelope-events.js';
import type { EnvelopeFinding } from '../../../../connectors/x12/findings.js';
import { streamX12 } from '../../../../connectors/x12/read.js';
import type { Segment } from '../../../../connectors/x12/segment.js';
import type { ClaimInContext, LoopNode } from '../../../../connectors/x12/structure/loop-tree.js';
import { StructureReader } from '../../../../connectors/x12/structure/structure-reader.js';
import { tokenize } from '../../../../connectors/x12/tokenizer.js';
import type { ReserveControlNumbers } from '../../../../connectors/x12/write/interchange.js';
import type { ClaimSubmitterProfile } from '../../../../connectors/x12/write/profile.js';
import { nextValues } from '../../../../store/counters.js';
import { openTestStore, type TestStore } from '../../../support/services.js';

export const PROFILE: ClaimSubmitterProfile = {
  senderQualifier: 'ZZ',
  senderId: 'FLATIRONSBILL',
  receiverQualifier: 'ZZ',
  receiverId: 'PEAKCLEARING',
  usage: 'T',
  applicationSenderCode: 'FLATIRONSBILL',
  applicationReceiverCode: 'PEAKCLEARING',
  submitter: {
    name: 'Flatirons Billing Service',
    id: 'FBS0042',
    contact: { name: 'EDI Desk', phone: '3035550142', email: 'edi@flatirons.example' },
  },
  receiver: { name: 'Peak Clearinghouse', id: 'PEAK01' },
};

export const NOW = new Date('2026-10-16T14:05:00Z');

/**
 * Opens a PGlite store before the suite and closes it after (call inside `describe`); `counter`
 * hands out control numbers from store/counters.ts, one counter per kind for a trading partner.
 */
export function suiteCounters(): { counter(partner?: string): ReserveControlNumbers } {
  let t: TestStore | undefined;
  before(async () => {
    t = await openTestStore('pglite');
  });
  after(async () => {
    await t?.close();
  });
  return {
    counter:
      (partner = 'peak') =>
      (kind, count) =>
        nextValues(t!.store.db, `x12.${partner}.${kind}`, count),
  };
}

export interface ReadBack {
  events: EnvelopeEvent[];
  claims: ClaimInContext[];
  /** The loop tree of each set that does not come out claim by claim (278). */
  trees: LoopNode[];
  /** Every envelope and structure finding of every level. */
  findings: EnvelopeFinding[];
  segments: Segment[];
}

/** The interchange read back as a file would be: streamed in small chunks through the envelope and structure readers. */
export async function readBack(text: string): Promise<ReadBack> {
  const result: ReadBack = { events: [], claims: [], trees: [], findings: [], segments: tokenize(text) };
  const chunks = async function* () {
    for (let at = 0; at < text.length; at += 97) yield text.slice(at, at + 97);
  };
  await streamX12(
    chunks(),
    new StructureReader({
      onClaim: (claim) => result.claims.push(claim),
      onTransactionSet: (tree) => result.trees.push(tree),
      onEvent: (event) => {
        result.events.push(event);
        result.findings.push(...event.findings);
      },
    }),
  );
  return result;
}

/** The elements of the first segment `id` (with `first` as its first element, when given) in the node itself. */
export function elements(node: LoopNode, id: string, first?: string): string[] | undefined {
  return node.segments.find((s) => s.id === id && (first === undefined || s.elements[0] === first))?.elements;
}

/** Every loop `id` in the node's subtree, the node included. */
export function loops(node: LoopNode, id: string): LoopNode[] {
  return [...(node.loop === id ? [node] : []), ...node.loops.flatMap((child) => loops(child, id))];
}

/** The segments of the text as `ID*E01*E02` strings, for order checks. */
export function segmentLines(text: string): string[] {
  return tokenize(text).map((s) => [s.id, ...s.elements].join('*'));
}

/** Finding lines a failed assertion prints readably. */
export function describeFindings(findings: EnvelopeFinding[]): string[] {
  return findings.map((f) => `${f.level} ${f.code} ${f.path}: ${f.message}`);
}
