import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError, TransientError, UnsupportedMessageError, ValidationError } from '../../../canonical-model/errors.js';
import { buildAck, escapeHl7 } from '../../../connectors/hl7v2/ack.js';
import { hl7Acknowledgement, hl7DuplicateKey, locationInPath, readAckedMessage, sameHl7Message } from '../../../connectors/hl7v2/acknowledge.js';
import { parseHl7Message } from '../../../connectors/hl7v2/parse.js';
import { CORPUS } from '../../support/corpus.js';

const NOW = new Date('2026-11-25T10:20:30Z');
const V251 = 'MSH|^~\\&|EPIC|NORTH^1.2.3^ISO|CLAIMHUB|HUB|20261125101500||DFT^P03^DFT_P03|CTL-0001|P|2.5.1\rPID|1||MRN1^^^NORTH^MR\rFT1|1||||20261120|CG|99213\rFT1|2||||20261120|CG|99214||x|bad';
const V23 = 'MSH|^~\\&|PM|CLINIC|HUB||20261125||DFT^P03|C23|T|2.3\rPID|1||MRN2';

function segments(ack: string) {
  return parseHl7Message(ack).segments.map((segment) => segment.fields);
}

describe('HL7 v2 ACK', () => {
  it('answers AA to the sender: applications and facilities swapped, MSA-2 echoing MSH-10, the version and processing id kept', () => {
    const { text } = hl7Acknowledgement(V251, { kind: 'accepted' }, NOW);
    const [msh, msa, ...rest] = segments(text);
    assert.equal(msh[3], 'CLAIMHUB');
    assert.equal(msh[4], 'HUB');
    assert.equal(msh[5], 'EPIC');
    assert.equal(msh[6], 'NORTH^1.2.3^ISO');
    assert.equal(msh[7], '20261125102030+0000');
    assert.equal(msh[9], 'ACK^P03^ACK');
    assert.match(msh[10], /^[0-9A-F]{20}$/);
    assert.equal(msh[11], 'P');
    assert.equal(msh[12], '2.5.1');
    assert.deepEqual(msa.slice(0, 3), ['MSA', 'AA', 'CTL-0001']);
    assert.equal(rest.length, 0);
  });

  it('AE with an ERR that locates the field: segment, occurrence, field (ERR-2), table 0357 code (ERR-3), rule and message', () => {
    const error = new ValidationError('bad quantity', [{ path: 'FT1[2]-10', rule: 'quantity', message: 'FT1-10 "x" is not a number' }]);
    const [, msa, err] = segments(hl7Acknowledgement(V251, { kind: 'refused', error }, NOW).text);
    assert.deepEqual(msa.slice(0, 3), ['MSA', 'AE', 'CTL-0001']);
    assert.equal(err[2], 'FT1^2^10');
    assert.equal(err[3], '102^Data type error^HL70357');
    assert.equal(err[4], 'E');
    assert.equal(err[5], 'quantity^^99CLAIMHUB');
    assert.equal(err[8], 'FT1-10 "x" is not a number');
  });

  it('AR naming the unsupported message type (code 200)', () => {
    const text = 'ORU^R01 is not translated: claimhub maps DFT^P03';
    const error = new UnsupportedMessageError(text, [{ path: 'MSH-9', rule: 'no-mapping', message: text }]);
    const [, msa, err] = segments(hl7Acknowledgement(V251, { kind: 'refused', error }, NOW).text);
    assert.equal(msa[1], 'AR');
    assert.equal(err[2], 'MSH^1^9');
    assert.equal(err[3], '200^Unsupported message type^HL70357');
    assert.match(err[8], /^ORU\\S\\R01 is not translated/, 'the separator in the text is escaped');
  });

  it('a reader error names the occurrence of its segment, counted from the position the reader reports', () => {
    const error = new ParseError('bad id', [{ path: 'segment 3 (line 3) FT1-4', rule: 'date', message: 'not a date' }]);
    const [, , err] = segments(hl7Acknowledgement(V251, { kind: 'refused', error }, NOW).text);
    assert.equal(err[2], 'FT1^1^4');
    const second = new ParseError('bad id', [{ path: 'segment 4 (line 4) FT1', rule: 'segment-id', message: 'x' }]);
    const [, , err2] = segments(hl7Acknowledgement(V251, { kind: 'refused', error: second }, NOW).text);
    assert.equal(err2[2], 'FT1^2');
    assert.equal(err2[3], '100^Segment sequence error^HL70357');
  });

  it('answers what has no readable MSH with AR from CLAIMHUB in v2.5.1, MSA-2 empty', () => {
    const error = new ParseError('no MSH', [{ path: 'segment 1 (line 1) THI', rule: 'header-first', message: 'expected MSH first, found "THI"' }]);
    const [msh, msa, err] = segments(hl7Acknowledgement('THIS IS NOT HL7', { kind: 'refused', error }, NOW).text);
    assert.equal(msh[3], 'CLAIMHUB');
    assert.equal(msh[12], '2.5.1');
    assert.equal(msa[1], 'AR');
    assert.equal(msa[2] ?? '', '');
    assert.equal(err[3], '100^Segment sequence error^HL70357');
  });

  it('AR 207 when the message was not stored, so the sender sends it again', () => {
    const [, msa, err] = segments(hl7Acknowledgement(V251, { kind: 'not-stored', error: new TransientError('the message store is unavailable') }, NOW).text);
    assert.deepEqual(msa.slice(0, 3), ['MSA', 'AR', 'CTL-0001']);
    assert.equal(err[3], '207^Application internal error^HL70357');
    assert.equal(err[8], 'the message store is unavailable');
  });

  it('writes ERR-1 (segment^sequence^field^code&text&table) and MSA-3 to a v2.3 sender', () => {
    const error = new ValidationError('PID-3 has no MR identifier', [{ path: 'PID[1]-3', rule: 'required', message: 'PID-3 has no MR identifier' }]);
    const [msh, msa, err] = segments(hl7Acknowledgement(V23, { kind: 'refused', error }, NOW).text);
    assert.equal(msh[12], '2.3');
    assert.equal(msh[11], 'T');
    assert.equal(msa[3], 'PID-3 has no MR identifier');
    assert.equal(err[1], 'PID^1^3^101&Required field missing&HL70357');
    assert.equal(err.length, 2);
  });

  it("escapes the sender's own separators in text it echoes", () => {
    const odd = 'MSH#*@!$#A*B#F##20261125##DFT*P03#C1#P#2.5';
    const message = readAckedMessage(odd)!;
    assert.equal(message.encoding.field, '#');
    const ack = buildAck(message, { code: 'AE', errors: [{ code: 207, severity: 'E', message: 'a#b*c' }], now: NOW });
    assert.ok(ack.startsWith('MSH#*@!$#'));
    assert.match(ack, /a!F!b!S!c/);
    assert.equal(escapeHl7('a|b^c&d~e\\f', { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: null }), 'a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
  });

  it('reads HL7 places in issue paths', () => {
    assert.deepEqual(locationInPath('IN1[2]-36.1'), { segment: 'IN1', sequence: 2, field: 36, component: 1 });
    assert.deepEqual(locationInPath('FT1[3]-26[2]'), { segment: 'FT1', sequence: 3, field: 26, repetition: 2 });
    assert.deepEqual(locationInPath('PID-5'), { segment: 'PID', sequence: 1, field: 5 });
    assert.deepEqual(locationInPath('PV1 (segment 7, line 7)'), { segment: 'PV1', sequence: 1 });
    assert.deepEqual(locationInPath('visit 4 PV1[2] (segment 6, line 6)'), { segment: 'PV1', sequence: 2 });
    assert.equal(locationInPath('$.serviceLines[0].charge'), undefined);
    assert.equal(locationInPath('CLAIM total'), undefined);
  });

  it('acknowledges every corpus message in its own version, echoing its control id', () => {
    for (const name of ['msconv-DFT-P03-01.hl7', 'msconv-ADT04-251.hl7', 'msconv-ORU-R01-01.hl7', 'msconv-SIU-S12-01.hl7']) {
      const raw = readFileSync(join(CORPUS, 'hl7v2', name), 'utf8');
      const original = parseHl7Message(raw).header;
      const ack = parseHl7Message(hl7Acknowledgement(raw, { kind: 'accepted' }, NOW).text);
      assert.equal(ack.header.version, original.version, name);
      assert.equal(ack.segments[1].fields[2], original.controlId, name);
      assert.equal(ack.header.receivingApplication.namespaceId, original.sendingApplication.namespaceId, name);
    }
  });
});

describe('HL7 v2 duplicate keys', () => {
  it('keys a message by sending application, facility and MSH-10', () => {
    assert.equal(hl7DuplicateKey(V251), 'hl7v2|EPIC^|NORTH^1.2.3|CTL-0001');
    assert.notEqual(hl7DuplicateKey(V251), hl7DuplicateKey(V251.replace('EPIC', 'CERNER')));
    assert.equal(hl7DuplicateKey('THIS IS NOT HL7'), undefined);
    assert.equal(hl7DuplicateKey('MSH|^~\\&|A|B|C|D|2026||ADT^A08||P|2.5'), undefined);
  });

  it('takes a resend with a renewed MSH-7 or other segment ends for the same message, and different content for another', () => {
    assert.ok(sameHl7Message(V251, V251.replace('20261125101500', '20261125111111')));
    assert.ok(sameHl7Message(V251, V251.replaceAll('\r', '\r\n')));
    assert.ok(!sameHl7Message(V251, V251.replace('99214', '99215')));
  });
});
