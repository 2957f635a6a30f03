import assert from 'node:assert/strict';
import {
  EncodingCharactersError,
  MissingHeaderError,
  SegmentIdError,
  SeveralMessagesError,
  type Hl7ParseError,
} from '../../../connectors/hl7v2/errors.js';
import { messageJson } from '../../../connectors/hl7v2/message-json.js';
import { parseHl7Message } from '../../../connectors/hl7v2/parse.js';
import { ParseError } from '../../../canonical-model/errors.js';

const MSH = 'MSH|^~\\&|SENDAPP^1.2.3^ISO|SENDFAC|RECVAPP|RECVFAC|20240101120000||DFT^P03^DFT_P03|CTRL42|P|2.5.1';
const DFT = [MSH, 'EVN|P03|20240101', 'PID|1||MRN1^^^HOSP^MR~999^^^SSA^SS||DOE^JANE', 'FT1|1|||20240101||CG|99213^Office visit'];

function failure<T extends Hl7ParseError>(text: string, type: abstract new (...args: never[]) => T): T {
  try {
    parseHl7Message(text);
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    assert.ok(error instanceof ParseError);
    assert.equal(error.permanent, true);
    return error;
  }
  return assert.fail('the message was accepted');
}

describe('HL7 v2 message parsing', () => {
  it('reads the MSH header into typed values', () => {
    const { header } = parseHl7Message(DFT.join('\r'));
    assert.deepEqual(header.sendingApplication, { namespaceId: 'SENDAPP', universalId: '1.2.3', universalIdType: 'ISO' });
    assert.equal(header.sendingFacility.namespaceId, 'SENDFAC');
    assert.equal(header.receivingApplication.namespaceId, 'RECVAPP');
    assert.equal(header.receivingFacility.namespaceId, 'RECVFAC');
    assert.equal(header.dateTime, '20240101120000');
    assert.deepEqual([header.messageType, header.triggerEvent, header.messageStructure], ['DFT', 'P03', 'DFT_P03']);
    assert.equal(header.controlId, 'CTRL42');
    assert.equal(header.processingId, 'P');
    assert.equal(header.version, '2.5.1');
  });

  it('reads the same segments from CR, LF and CRLF input, with a trailing terminator or none', () => {
    const expected = parseHl7Message(DFT.join('\r')).segments.map((s) => s.fields);
    for (const separator of ['\n', '\r\n']) {
      for (const ending of ['', separator]) {
        const message = parseHl7Message(DFT.join(separator) + ending);
        assert.deepEqual(
          message.segments.map((s) => s.fields),
          expected,
        );
        assert.equal(message.text, DFT.join('\r'));
      }
    }
  });

  it('numbers input lines for CR, LF and CRLF alike, counting blank lines', () => {
    const message = parseHl7Message(['\uFEFF' + MSH, '', 'PID|1'].join('\r\n'));
    assert.deepEqual(
      message.segments.map((s) => [s.id, s.line]),
      [
        ['MSH', 1],
        ['PID', 3],
      ],
    );
  });

  it('numbers lines when CR, LF and CRLF are mixed in one input, blank lines counted', () => {
    const message = parseHl7Message(`${MSH}\rEVN|P03\n\nPID|1\r\n\rFT1|1\r\n`);
    assert.deepEqual(
      message.segments.map((s) => [s.id, s.line]),
      [
        ['MSH', 1],
        ['EVN', 2],
        ['PID', 4],
        ['FT1', 6],
      ],
    );
    assert.equal(message.text, [MSH, 'EVN|P03', 'PID|1', 'FT1|1'].join('\r'));
  });

  it('numbers MSH fields as the standard does: MSH-1 the field separator, MSH-2 the encoding characters', () => {
    const msh = parseHl7Message(MSH).segments[0];
    assert.equal(msh.fields[1], '|');
    assert.equal(msh.fields[2], '^~\\&');
    assert.equal(msh.fields[10], 'CTRL42');
  });

  it('reads a v2.7+ MSH-2 with the truncation character', () => {
    const message = parseHl7Message('MSH|^~\\&#|A|B|C|D|20240101||ADT^A08^ADT_A01|X1|P|2.8\rPID|1||12#^^^H\\P\\');
    assert.equal(message.encoding.truncation, '#');
    assert.equal(message.header.version, '2.8');
    assert.deepEqual(messageJson(message).PID, [{ position: 2, PID_1: [{ C1: '1' }], PID_3: [{ C1: '12#', C4: 'H#' }] }]);
  });

  it('reads messages whose separators are not the usual ones', () => {
    const message = parseHl7Message('MSH*:!?%*APP*FAC*****ADT:A04*77*P*2.3\rPID*1**A:B!C%D');
    assert.equal(message.header.messageType, 'ADT');
    assert.equal(message.header.controlId, '77');
    assert.deepEqual(messageJson(message).PID, [
      {
        position: 2,
        PID_1: [{ C1: '1' }],
        PID_3: [
          { C1: 'A', C2: 'B' },
          { C1: 'C', C1_1: 'C', C1_2: 'D' },
        ],
      },
    ]);
  });

  it('keeps Z-segments like any other', () => {
    const message = parseHl7Message([MSH, 'ZPD|1|custom^value', 'ZPD|2'].join('\r'));
    assert.deepEqual(messageJson(message).ZPD, [
      { position: 2, ZPD_1: [{ C1: '1' }], ZPD_2: [{ C1: 'custom', C2: 'value' }] },
      { position: 3, ZPD_1: [{ C1: '2' }] },
    ]);
  });

  it('refuses a message that does not start with MSH, naming the segment found', () => {
    const error = failure(['PID|1', MSH].join('\r'), MissingHeaderError);
    assert.deepEqual([error.segmentIndex, error.line, error.segmentId, error.field], [1, 1, 'PID', null]);
    assert.equal(error.issues[0].rule, 'header-first');
    failure('', MissingHeaderError);
  });

  it('refuses an MSH-2 with fewer than four encoding characters, naming MSH-2', () => {
    const error = failure('MSH|^~\\|A|B', EncodingCharactersError);
    assert.deepEqual([error.segmentId, error.field, error.line], ['MSH', 2, 1]);
    assert.match(error.issues[0].path, /MSH-2/);
  });

  it('refuses an MSH-2 that uses one character for two separators', () => {
    assert.match(failure('MSH|^~^&|A|B', EncodingCharactersError).message, /"\^" is used for two separators/);
    assert.match(failure('MSH|^~|&|A', EncodingCharactersError).message, /declares 2 of the 4/);
  });

  it('refuses a letter, digit or nothing as the field separator, naming MSH-1', () => {
    assert.equal(failure('MSHA^~\\&A', EncodingCharactersError).field, 1);
    assert.equal(failure('MSH', EncodingCharactersError).field, 1);
  });

  it('refuses a segment id that is not three upper-case letters or digits, with its line and position', () => {
    for (const bad of ['pid|1', 'PI|1', 'PIDX|1', 'P-D|1', 'PID^1|2', 'PI']) {
      const error = failure([MSH, 'EVN|P03', bad].join('\n'), SegmentIdError);
      assert.deepEqual([error.segmentIndex, error.line, error.segmentId], [3, 3, bad.split('|')[0]]);
    }
  });

  it('refuses a second MSH in a single message, pointing at it', () => {
    const error = failure([MSH, 'PID|1', MSH].join('\r'), SeveralMessagesError);
    assert.deepEqual([error.segmentIndex, error.segmentId], [3, 'MSH']);
  });

  it('accepts the versions 2.3 to 2.8 alike', () => {
    for (const version of ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8']) {
      assert.equal(parseHl7Message(MSH.replace('2.5.1', version)).header.version, version);
    }
  });
});
