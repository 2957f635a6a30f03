// Envelope reader: pairs ISA/IEA, GS/GE and ST/SE in a stream of segments, checks their control
// numbers and counts, and passes each transaction set's segments on as they arrive (holding none).
import { GroupSyntaxErrorCode, SegmentSyntaxErrorCode, Ta1NoteCode, TransactionSetSyntaxErrorCode } from './ack-codes.js';
import { checkGroupHeader, checkInterchangeHeader, checkTransactionSetHeader } from './envelope-checks.js';
import {
  groupHeader,
  interchangeHeader,
  transactionSetHeader,
  type EnvelopeHandlers,
  type GroupHeader,
  type InterchangeHeader,
  type TransactionSetHeader,
} from './envelope-events.js';
import { InterchangeHeaderError } from './errors.js';
import { finding, type ControlNumbers, type EnvelopeFinding } from './findings.js';
import type { Segment } from './segment.js';

interface OpenInterchange {
  header: InterchangeHeader;
  findings: EnvelopeFinding[];
  groupCount: number;
  groupControlNumbers: Set<string>;
  /** TA1 segments between ISA and the first GS (X12.5: an interchange may carry acknowledgments). */
  ta1s: Segment[];
}

interface OpenGroup {
  header: GroupHeader;
  findings: EnvelopeFinding[];
  transactionSetCount: number;
  transactionSetControlNumbers: Set<string>;
}

interface OpenTransactionSet {
  header: TransactionSetHeader;
  segmentCount: number;
  findings: EnvelopeFinding[];
}

/** Where a finding points when it is not simply at the segment: an element, or a missing trailer. */
interface Pointing {
  element?: number;
  segmentId?: string;
}

export class EnvelopeReader {
  private readonly handlers: EnvelopeHandlers;
  private interchange: OpenInterchange | null = null;
  private group: OpenGroup | null = null;
  private transactionSet: OpenTransactionSet | null = null;
  /** ISA13s seen in this input: a repeat is TA1 025. */
  private readonly interchangeControlNumbers = new Set<string>();
  private last: Segment | null = null;

  constructor(handlers: EnvelopeHandlers) {
    this.handlers = handlers;
  }

  push(segment: Segment): void {
    const id = segment.id;
    const set = this.transactionSet;
    if (segment.unterminated) this.noteUnterminated(segment);
    if (set !== null && !isEnvelopeSegmentId(id)) {
      if (!isSegmentId(id)) this.noteBadSegmentId(set, segment);
      set.segmentCount++;
      this.last = segment;
      this.handlers.onSegment(segment);
      return;
    }
    if (id === 'ISA') this.openInterchange(segment);
    else if (id === 'GS') this.openGroup(segment);
    else if (id === 'ST') this.openTransactionSet(segment);
    else if (id === 'SE') this.closeTransactionSet(segment);
    else if (id === 'GE') this.closeGroup(segment);
    else if (id === 'IEA') this.closeInterchange(segment);
    else if (id === 'TA1' && this.interchange !== null && this.group === null) this.interchange.ta1s.push(segment);
    else this.noteStray(segment);
    this.last = segment;
  }

  /** The input is over: whatever is still open lacks its trailer. */
  end(): void {
    const last = this.last;
    if (last === null || this.interchange === null) return;
    this.abandonTransactionSet(last, null);
    this.abandonGroup(last, null);
    const message = `IEA missing for interchange ${this.interchange.header.controlNumber}: the input ends first`;
    this.interchangeFinding(Ta1NoteCode.prematureEndOfFile, last, 'trailer-missing', message, { segmentId: 'IEA' });
    this.endInterchange(null);
  }

  private openInterchange(isa: Segment): void {
    if (this.interchange !== null) {
      this.abandonTransactionSet(isa, isa);
      this.abandonGroup(isa, isa);
      const message = `IEA missing for interchange ${this.interchange.header.controlNumber}: ${interruption(isa)}`;
      this.interchangeFinding(Ta1NoteCode.prematureEndOfFile, isa, 'trailer-missing', message, { segmentId: 'IEA' });
      this.endInterchange(null);
    }
    if (isa.delimiters === undefined || isa.elements.length < 16) {
      const message = `the ISA at line ${isa.line} was not read by the tokenizer (no delimiters or fewer than 16 elements)`;
      throw new InterchangeHeaderError(message, Ta1NoteCode.invalidControlStructure, isa, { path: 'ISA', rule: 'isa-layout' });
    }
    const header = interchangeHeader(isa);
    const interchange: OpenInterchange = { header, findings: [], groupCount: 0, groupControlNumbers: new Set(), ta1s: [] };
    this.interchange = interchange;
    interchange.findings.push(...checkInterchangeHeader(isa, this.controls()));
    if (this.interchangeControlNumbers.has(header.controlNumber)) {
      const message = `ISA13 ${header.controlNumber} was already used by an earlier interchange in this input`;
      this.interchangeFinding(Ta1NoteCode.duplicateControlNumber, isa, 'control-number-unique', message, { element: 13 });
    }
    this.interchangeControlNumbers.add(header.controlNumber);
    this.handlers.onEvent({ kind: 'interchange-start', interchange: header, findings: [...interchange.findings] });
  }

  private openGroup(gs: Segment): void {
    const interchange = this.requireInterchange(gs);
    this.abandonTransactionSet(gs, gs);
    this.abandonGroup(gs, gs);
    const header = groupHeader(gs);
    interchange.groupCount++;
    const group: OpenGroup = { header, findings: [], transactionSetCount: 0, transactionSetControlNumbers: new Set() };
    this.group = group;
    const found = checkGroupHeader(gs, this.controls());
    if (interchange.groupControlNumbers.has(header.controlNumber)) {
      const message = `GS06 ${header.controlNumber} is used by an earlier group in interchange ${interchange.header.controlNumber}`;
      const code = GroupSyntaxErrorCode.controlNumberNotUnique;
      found.push(finding({ level: 'group', code }, 'control-number-unique', message, gs, this.controls(), 6));
    }
    interchange.groupControlNumbers.add(header.controlNumber);
    for (const each of found) (each.level === 'interchange' ? interchange.findings : group.findings).push(each);
    this.handlers.onEvent({ kind: 'group-start', interchange: interchange.header, group: header, findings: found });
  }

  private openTransactionSet(st: Segment): void {
    const interchange = this.requireInterchange(st);
    this.abandonTransactionSet(st, st);
    const header = transactionSetHeader(st);
    const set: OpenTransactionSet = { header, segmentCount: 1, findings: [] };
    this.transactionSet = set;
    const group = this.group;
    set.findings.push(...checkTransactionSetHeader(st, group?.header.version ?? null, this.controls()));
    if (group === null) {
      const message = `ST ${header.controlNumber} is not inside a functional group (GS) of interchange ${interchange.header.controlNumber}`;
      this.transactionSetFinding(TransactionSetSyntaxErrorCode.notInGroup, st, 'outside-group', message);
    } else {
      group.transactionSetCount++;
      if (group.transactionSetControlNumbers.has(header.controlNumber)) {
        const message = `ST02 ${header.controlNumber} is used by an earlier transaction set in group ${group.header.controlNumber}`;
        this.transactionSetFinding(TransactionSetSyntaxErrorCode.controlNumberNotUnique, st, 'control-number-unique', message, {
          element: 2,
        });
      }
      group.transactionSetControlNumbers.add(header.controlNumber);
    }
    const start = { interchange: interchange.header, group: group?.header ?? null, header, findings: [...set.findings] };
    this.handlers.onEvent({ kind: 'transaction-set-start', ...start });
    this.handlers.onSegment(st);
  }

  private closeTransactionSet(se: Segment): void {
    const set = this.transactionSet;
    if (set === null) return this.noteStray(se);
    const actual = ++set.segmentCount;
    this.handlers.onSegment(se);
    const [count = '', controlNumber = ''] = se.elements;
    const expected = set.header.controlNumber;
    // 005010: SE01 counts the segments from ST through SE.
    if (!countMatches(count, actual)) {
      const message = `SE01 says ${count || '(nothing)'} segments; transaction set ${expected} has ${actual} (ST through SE)`;
      this.transactionSetFinding(TransactionSetSyntaxErrorCode.segmentCountMismatch, se, 'segment-count', message, { element: 1 });
    }
    if (controlNumber !== expected) {
      const message = `SE02 ${controlNumber || '(nothing)'} does not match ST02 ${expected}`;
      this.transactionSetFinding(TransactionSetSyntaxErrorCode.controlNumberMismatch, se, 'control-number-match', message, { element: 2 });
    }
    this.endTransactionSet(se);
  }

  private closeGroup(ge: Segment): void {
    this.abandonTransactionSet(ge, ge);
    const group = this.group;
    if (group === null) return this.noteStray(ge);
    const [count = '', controlNumber = ''] = ge.elements;
    const expected = group.header.controlNumber;
    // 005010: GE01 counts the transaction sets (ST) in the group.
    if (!countMatches(count, group.transactionSetCount)) {
      const message = `GE01 says ${count || '(nothing)'} transaction sets; group ${expected} has ${group.transactionSetCount}`;
      this.groupFinding(GroupSyntaxErrorCode.transactionSetCountMismatch, ge, 'transaction-set-count', message, { element: 1 });
    }
    if (controlNumber !== expected) {
      const message = `GE02 ${controlNumber || '(nothing)'} does not match GS06 ${expected}`;
      this.groupFinding(GroupSyntaxErrorCode.controlNumberMismatch, ge, 'control-number-match', message, { element: 2 });
    }
    this.endGroup(ge);
  }

  private closeInterchange(iea: Segment): void {
    const interchange = this.requireInterchange(iea);
    this.abandonTransactionSet(iea, iea);
    this.abandonGroup(iea, iea);
    const [count = '', controlNumber = ''] = iea.elements;
    const expected = interchange.header.controlNumber;
    // 005010: IEA01 counts the functional groups (GS) in the interchange.
    if (!countMatches(count, interchange.groupCount)) {
      const message = `IEA01 says ${count || '(nothing)'} groups; interchange ${expected} has ${interchange.groupCount}`;
      this.interchangeFinding(Ta1NoteCode.invalidGroupCount, iea, 'group-count', message, { element: 1 });
    }
    if (controlNumber !== expected) {
      const message = `IEA02 ${controlNumber || '(nothing)'} does not match ISA13 ${expected}`;
      this.interchangeFinding(Ta1NoteCode.controlNumberMismatch, iea, 'control-number-match', message, { element: 2 });
    }
    this.endInterchange(iea);
  }

  /** An open transaction set lacks its SE: `interruptedBy` came first, or (null) the input ended after `at`. */
  private abandonTransactionSet(at: Segment, interruptedBy: Segment | null): void {
    const set = this.transactionSet;
    if (set === null) return;
    const message = `SE missing for transaction set ${set.header.controlNumber}: ${interruption(interruptedBy)}`;
    this.transactionSetFinding(TransactionSetSyntaxErrorCode.trailerMissing, at, 'trailer-missing', message, { segmentId: 'SE' });
    this.endTransactionSet(null);
  }

  private abandonGroup(at: Segment, interruptedBy: Segment | null): void {
    const group = this.group;
    if (group === null) return;
    const message = `GE missing for group ${group.header.controlNumber}: ${interruption(interruptedBy)}`;
    this.groupFinding(GroupSyntaxErrorCode.trailerMissing, at, 'trailer-missing', message, { segmentId: 'GE' });
    this.endGroup(null);
  }

  private endTransactionSet(trailer: Segment | null): void {
    const { header, segmentCount, findings } = this.transactionSet!;
    this.transactionSet = null;
    const group = this.group?.header ?? null;
    this.handlers.onEvent({
      kind: 'transaction-set-end',
      interchange: this.interchange!.header,
      group,
      header,
      segmentCount,
      trailer,
      findings,
    });
  }

  private endGroup(trailer: Segment | null): void {
    const { header, transactionSetCount, findings } = this.group!;
    this.group = null;
    const interchange = this.interchange!.header;
    this.handlers.onEvent({ kind: 'group-end', interchange, group: header, transactionSetCount, trailer, findings });
  }

  private endInterchange(trailer: Segment | null): void {
    const { header, groupCount, findings, ta1s } = this.interchange!;
    this.interchange = null;
    this.handlers.onEvent({ kind: 'interchange-end', interchange: header, groupCount, trailer, findings, ta1s });
  }

  /** A segment outside ST..SE that is not an envelope segment in its place: invalid interchange content. */
  private noteStray(segment: Segment): void {
    this.requireInterchange(segment);
    const group = this.group;
    const where = group === null ? 'outside any functional group' : `in group ${group.header.controlNumber} outside any transaction set`;
    const message = `${segment.id} at line ${segment.line} is ${where}`;
    this.interchangeFinding(Ta1NoteCode.invalidContent, segment, 'outside-transaction-set', message);
  }

  private noteUnterminated(segment: Segment): void {
    this.requireInterchange(segment);
    const message = `the input ends inside ${segment.id} at line ${segment.line}: its segment terminator is missing`;
    this.interchangeFinding(Ta1NoteCode.prematureEndOfFile, segment, 'segment-terminator', message);
  }

  private noteBadSegmentId(set: OpenTransactionSet, segment: Segment): void {
    const message = `segment id "${segment.id}" at line ${segment.line} is not two or three upper-case letters and digits`;
    const code = SegmentSyntaxErrorCode.unrecognizedSegmentId;
    set.findings.push(finding({ level: 'segment', code }, 'segment-id', message, segment, this.controls()));
  }

  private requireInterchange(segment: Segment): OpenInterchange {
    if (this.interchange !== null) return this.interchange;
    const message = `${segment.id} at line ${segment.line} is outside any interchange (no ISA before it)`;
    throw new InterchangeHeaderError(message, Ta1NoteCode.invalidControlStructure, segment, {
      path: segment.id,
      rule: 'outside-interchange',
    });
  }

  private controls(): ControlNumbers {
    return {
      interchange: this.interchange?.header.controlNumber ?? null,
      group: this.group?.header.controlNumber ?? null,
      transactionSet: this.transactionSet?.header.controlNumber ?? null,
    };
  }

  private interchangeFinding(code: Ta1NoteCode, segment: Segment, rule: string, message: string, at: Pointing = {}): void {
    const found = finding({ level: 'interchange', code }, rule, message, segment, this.controls(), at.element, at.segmentId);
    this.interchange!.findings.push(found);
  }

  private groupFinding(code: GroupSyntaxErrorCode, segment: Segment, rule: string, message: string, at: Pointing = {}): void {
    this.group!.findings.push(finding({ level: 'group', code }, rule, message, segment, this.controls(), at.element, at.segmentId));
  }

  private transactionSetFinding(
    code: TransactionSetSyntaxErrorCode,
    segment: Segment,
    rule: string,
    message: string,
    at: Pointing = {},
  ): void {
    const found = finding({ level: 'transaction-set', code }, rule, message, segment, this.controls(), at.element, at.segmentId);
    this.transactionSet!.findings.push(found);
  }
}

function interruption(by: Segment | null): string {
  return by === null ? 'the input ends first' : `${by.id} at line ${by.line} comes first`;
}

/** X12.6 N0 counts: digits, compared by value. */
function countMatches(written: string, actual: number): boolean {
  return /^[0-9]{1,10}$/.test(written) && Number(written) === actual;
}

function isEnvelopeSegmentId(id: string): boolean {
  if (id.length === 2) return id === 'SE' || id === 'ST' || id === 'GS' || id === 'GE';
  return id.length === 3 && (id === 'ISA' || id === 'IEA');
}

/** X12.6: a segment id is two or three characters, a capital letter then capitals or digits. */
function isSegmentId(id: string): boolean {
  const length = id.length;
  if (length < 2 || length > 3) return false;
  for (let i = 0; i < length; i++) {
    const code = id.charCodeAt(i);
    if (!((code >= 65 && code <= 90) || (i > 0 && code >= 48 && code <= 57))) return false;
  }
  return true;
}
