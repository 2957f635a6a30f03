// Envelope defects as comparable lines, from pyx12's log and from claimhub's events, so a test can
// say where the two validators agree. pyx12 numbers segments (its "Line:" is the segment ordinal).
import type { EnvelopeFinding } from '../../../connectors/x12/findings.js';
import type { Segment } from '../../../connectors/x12/segment.js';
import type { X12Event } from '../../../connectors/x12/transaction-sets.js';

const PYX12_ENVELOPE: Array<[RegExp, (match: RegExpMatchArray) => string]> = [
  [
    /Line:(\d+) ST:4 - SE count of (\d+) for SE02=(\S+) is wrong\. I count (\d+)/,
    (m) => `SE01 ${m[2]} for ST02 ${m[3]}: ${m[4]} segments (ST #${m[1]})`,
  ],
  [
    /Line:(\d+) GS:5 - GE count of (\d+) for GE02=(\S+) is wrong\. I count (\d+)/,
    (m) => `GE01 ${m[2]} for GS06 ${m[3]}: ${m[4]} sets (GS #${m[1]})`,
  ],
  [/Line:(\d+) ISA:021 - IEA count for IEA02=(\S+) is wrong/, (m) => `IEA01 wrong for ISA13 ${m[2]} (ISA #${m[1]})`],
  [/Line:(\d+) ISA:025 - ISA Interchange Control Number (\S+) not unique within file/, (m) => `ISA13 ${m[2]} repeated (ISA #${m[1]})`],
  [/Line:(\d+) GS:6 - GS Interchange Control Number (\S+) not unique within file/, (m) => `GS06 ${m[2]} repeated (GS #${m[1]})`],
  [/Line:(\d+) ST:23 - ST Interchange Control Number (\S+) not unique within file/, (m) => `ST02 ${m[2]} repeated (ST #${m[1]})`],
];

/** pyx12's envelope findings; throws on an envelope line this list does not know, so none is missed. */
export function pyx12EnvelopeLines(log: string): string[] {
  const lines: string[] = [];
  for (const line of log.split('\n')) {
    const known = PYX12_ENVELOPE.find(([pattern]) => pattern.test(line));
    if (known) lines.push(known[1](line.match(known[0])!));
    else if (/ (ISA|GS|ST|IEA|GE|SE):\d/.test(line)) throw new Error(`unrecognised pyx12 envelope line: ${line}`);
  }
  return lines.sort();
}

/** The same lines from claimhub's events; `ordinal` numbers a segment in the file from 1. */
export function claimhubEnvelopeLines(events: X12Event[], ordinal: (segment: Segment) => number): string[] {
  const lines: string[] = [];
  const has = (findings: EnvelopeFinding[], code: string) => findings.some((finding) => finding.code === code);
  for (const event of events) {
    if (event.kind === 'transaction-set') {
      const st = event.header;
      if (has(event.findings, '4'))
        lines.push(
          `SE01 ${event.trailer!.elements[0]} for ST02 ${st.controlNumber}: ${event.segmentCount} segments (ST #${ordinal(st.segment)})`,
        );
      if (has(event.findings, '23')) lines.push(`ST02 ${st.controlNumber} repeated (ST #${ordinal(st.segment)})`);
    } else if (event.kind === 'group-start') {
      if (has(event.findings, '19')) lines.push(`GS06 ${event.group.controlNumber} repeated (GS #${ordinal(event.group.segment)})`);
    } else if (event.kind === 'group-end') {
      if (has(event.findings, '5'))
        lines.push(
          `GE01 ${event.trailer!.elements[0]} for GS06 ${event.group.controlNumber}: ${event.transactionSetCount} sets (GS #${ordinal(event.group.segment)})`,
        );
    } else if (event.kind === 'interchange-end') {
      const isa = event.interchange;
      if (has(event.findings, '021')) lines.push(`IEA01 wrong for ISA13 ${event.trailer!.elements[1]} (ISA #${ordinal(isa.segment)})`);
      if (has(event.findings, '025')) lines.push(`ISA13 ${isa.controlNumber} repeated (ISA #${ordinal(isa.segment)})`);
    }
  }
  return lines.sort();
}

/** Every finding of the events, once each: end events (and whole sets) repeat what start events say. */
export function allFindings(events: X12Event[]): EnvelopeFinding[] {
  return events.flatMap((event) => (event.kind.endsWith('-start') ? [] : event.findings));
}
