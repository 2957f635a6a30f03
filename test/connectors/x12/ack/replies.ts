// Runs X12 text through the streaming reader (with the 837 structure reader, so structure findings
// and claim spans are in) into acknowledgement replies, and reads a reply back the way a trading
// partner's translator would: through claimhub's own reader and 999/TA1 parsers.
import { Readable } from 'node:stream';
import { acknowledgeInterchange } from '../../../../connectors/x12/ack/acknowledge.js';
import type { ImplementationAcknowledgment } from '../../../../connectors/x12/ack/model.js';
import { AcknowledgementCollector, type InterchangeOutcome } from '../../../../connectors/x12/ack/outcome.js';
import { readImplementationAcknowledgment } from '../../../../connectors/x12/ack/read-999.js';
import { readTa1s, type ReceivedTa1 } from '../../../../connectors/x12/ack/read-ta1.js';
import type { AcknowledgementReply } from '../../../../connectors/x12/ack/reply.js';
import type { EnvelopeFinding } from '../../../../connectors/x12/findings.js';
import { streamX12 } from '../../../../connectors/x12/read.js';
import { ClaimStructureReader } from '../../../../connectors/x12/structure/claim-reader.js';
import { tokenize } from '../../../../connectors/x12/tokenizer.js';
import { readEnvelopes, type TransactionSetEvent } from '../../../../connectors/x12/transaction-sets.js';

export const NUMBERS = { interchange: 4321, group: 77 };
export const OPTIONS = { date: new Date('2026-11-25T10:00:00Z'), lineBreak: '\n' };

/** What the reader found in each interchange of `text`, read from a byte stream in 4 KiB chunks. */
export async function outcomesOf(text: string): Promise<InterchangeOutcome[]> {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => bytes.subarray(i * 4096, (i + 1) * 4096));
  const collector = new AcknowledgementCollector();
  await streamX12(Readable.from(chunks), new ClaimStructureReader(collector));
  return collector.interchanges;
}

/** The reply to the only interchange of `text`. */
export async function replyTo(text: string): Promise<AcknowledgementReply | null> {
  const [interchange, ...others] = await outcomesOf(text);
  if (others.length > 0) throw new Error(`${others.length + 1} interchanges: replyTo answers one`);
  return acknowledgeInterchange(interchange, NUMBERS, OPTIONS);
}

/** The answering segments of a reply, terminators cut: everything but the envelopes (ISA, GS, ST, SE, GE, IEA). */
export function answerLines(reply: AcknowledgementReply): string[] {
  return reply.text
    .split('\n')
    .filter((line) => line !== '' && !/^(ISA|GS|ST|SE|GE|IEA)\*/.test(line))
    .map((line) => line.slice(0, -1));
}

export interface ReadBack {
  /** Findings on the reply's interchange, FA group and 999 sets, as `level code path`. */
  interchangeFindings: string[];
  groupFindings: string[];
  setFindings: string[];
  sets: TransactionSetEvent[];
  acks: ImplementationAcknowledgment[];
  ta1s: ReceivedTa1[];
}

export function readBack(reply: AcknowledgementReply): ReadBack {
  const segments = tokenize(reply.text);
  const events = readEnvelopes(segments);
  const named = (findings: EnvelopeFinding[]) => findings.map((finding) => `${finding.level} ${finding.code} ${finding.path}`);
  const sets = events.filter((event): event is TransactionSetEvent => event.kind === 'transaction-set');
  return {
    interchangeFindings: events.flatMap((event) => (event.kind === 'interchange-end' ? named(event.findings) : [])),
    groupFindings: events.flatMap((event) => (event.kind === 'group-end' ? named(event.findings) : [])),
    setFindings: sets.flatMap((set) => named(set.findings)),
    sets,
    acks: sets.map(readImplementationAcknowledgment),
    ta1s: readTa1s(segments),
  };
}
