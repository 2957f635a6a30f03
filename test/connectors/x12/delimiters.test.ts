import assert from 'node:assert/strict';
import { ISA_LENGTH, readDelimiters, readInterchangeHeader } from '../../../connectors/x12/delimiters.js';
import { InterchangeHeaderError } from '../../../connectors/x12/errors.js';
import { readCorpus, readFixture } from './corpus-files.js';

const ISA = readFixture('valid-837p.x12').slice(0, ISA_LENGTH);

function ta1NoteCode(text: string): string {
  try {
    readDelimiters(text);
  } catch (error) {
    assert.ok(error instanceof InterchangeHeaderError, `expected InterchangeHeaderError, got ${String(error)}`);
    return error.ta1NoteCode;
  }
  return assert.fail('the ISA was accepted');
}

/** The fixture's ISA with the character at `index` replaced. */
function withCharacter(index: number, character: string): string {
  return ISA.slice(0, index) + character + ISA.slice(index + 1) + 'GS';
}

describe('X12 delimiters', () => {
  it('reads element (4th character), repetition (ISA11), component (ISA16) and terminator (after ISA16)', () => {
    assert.deepEqual(readDelimiters(ISA), { element: '*', component: ':', repetition: '^', segment: '~' });
    assert.deepEqual(readDelimiters(readCorpus('837d/stupidedi-837d-commercial-health-insurance.edi')), {
      element: '*',
      component: ':',
      repetition: '>',
      segment: '~',
    });
  });

  it('reads no repetition separator from an alphanumeric ISA11 (4010-style U)', () => {
    assert.equal(readDelimiters(readCorpus('837p/ims-x12_valid.txt')).repetition, null);
  });

  it('takes a line break after ISA16 as the terminator of every segment', () => {
    assert.equal(readDelimiters(readCorpus('835/tp-multi-line-not-delimited.edi')).segment, '\n');
    assert.equal(readDelimiters(readCorpus('835/tp-multi-line-not-delimited.edi').replaceAll('\n', '\r\n')).segment, '\n');
  });

  it('skips blank lines before the ISA', () => {
    assert.equal(readDelimiters('\n\n  ' + ISA).element, '*');
  });

  it('waits for more input when the ISA is cut short, unless the input is over', () => {
    assert.equal(readInterchangeHeader(ISA.slice(0, 50), 0, 1, false), undefined);
    assert.equal(readInterchangeHeader(ISA.slice(0, ISA_LENGTH - 1), 0, 1, false), undefined);
    assert.throws(() => readInterchangeHeader(ISA.slice(0, 50), 0, 1, true), InterchangeHeaderError);
  });

  it('answers each broken delimiter with its TA1 note code', () => {
    assert.equal(ta1NoteCode(ISA.replaceAll('*', 'X') + 'GS'), '026', 'alphanumeric element separator');
    assert.equal(ta1NoteCode(withCharacter(ISA_LENGTH - 2, '*')), '027', 'component separator = element separator');
    assert.equal(ta1NoteCode(withCharacter(ISA_LENGTH - 1, 'A')), '004', 'alphanumeric segment terminator');
    assert.equal(ta1NoteCode(withCharacter(ISA_LENGTH - 1, ':')), '004', 'terminator = component separator');
    assert.equal(ta1NoteCode(withCharacter(82, ':')), '016', 'repetition separator = component separator');
  });

  it('names the ISA field whose width breaks the 106-character layout', () => {
    const widen = (field: number) => {
      const parts = ISA.slice(0, ISA_LENGTH - 1).split('*');
      parts[field] += ' ';
      return parts.join('*') + '~GS';
    };
    assert.deepEqual(
      [1, 2, 3, 4, 9, 10, 12, 13, 14, 15].map((field) => ta1NoteCode(widen(field))),
      ['010', '011', '012', '013', '014', '015', '017', '018', '019', '020'],
    );
  });

  it('answers a missing ISA, or one with too few elements, with TA1 022', () => {
    assert.equal(ta1NoteCode('GS*HC*A*B*20240101*1200*1*X*005010X222A1~'), '022');
    assert.equal(ta1NoteCode(ISA.slice(0, 60) + '~' + 'x'.repeat(200)), '022');
  });
});
