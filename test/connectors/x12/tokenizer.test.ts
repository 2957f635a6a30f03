import assert from 'node:assert/strict';
import { InterchangeHeaderError, SegmentTooLongError } from '../../../connectors/x12/errors.js';
import type { Segment } from '../../../connectors/x12/segment.js';
import { MAX_SEGMENT_LENGTH, Tokenizer, tokenize } from '../../../connectors/x12/tokenizer.js';
import { corpusFiles, plainCount, readCorpus, readFixture, UNREADABLE } from './corpus-files.js';

/** Tokenizes `input` fed as byte chunks of `size`. */
function tokenizeInChunks(input: string | Buffer, size: number): Segment[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const segments: Segment[] = [];
  const tokenizer = new Tokenizer((segment) => segments.push(segment));
  for (let at = 0; at < bytes.length; at += size) tokenizer.push(bytes.subarray(at, at + size));
  tokenizer.end();
  return segments;
}

const readable = corpusFiles().filter((file) => !UNREADABLE.has(file.split('/')[1]));

describe('X12 tokenizer', () => {
  it('reads every corpus file into as many segments as splitting on its ISA terminator finds', () => {
    assert.ok(readable.length >= 55, `only ${readable.length} corpus files`);
    for (const file of readable) {
      const text = readCorpus(file);
      const segments = tokenize(text);
      const plain = plainCount(text);
      assert.equal(segments.length, plain.count, `${file}: segment count`);
      assert.equal(segments[0].id, 'ISA', `${file}: first segment`);
      assert.equal(segments[0].id, plain.first, `${file}: first segment`);
      assert.equal(segments.at(-1)!.id, plain.last, `${file}: last segment`);
      assert.equal(segments.at(-1)!.id, 'IEA', `${file}: last segment`);
    }
  });

  it('places every segment: its offset points at its id and its line counts the line breaks before it', () => {
    for (const file of readable) {
      const text = readCorpus(file);
      let lines = 1;
      let counted = 0;
      for (const segment of tokenize(text)) {
        assert.ok(text.startsWith(segment.id, segment.offset), `${file}: ${segment.id} at ${segment.offset}`);
        for (; counted < segment.offset; counted++) if (text[counted] === '\n') lines++;
        assert.equal(segment.line, lines, `${file}: line of ${segment.id} at ${segment.offset}`);
      }
    }
  });

  it('gives the same segments whether a file comes whole or in 1-byte, 7-byte or 64 KiB chunks', () => {
    for (const file of readable) {
      const text = readCorpus(file);
      const whole = tokenize(text);
      for (const size of [1, 7, 64 * 1024]) assert.deepEqual(tokenizeInChunks(text, size), whole, `${file} in ${size}-byte chunks`);
    }
  });

  it('numbers segments within their transaction set, ST 1 through SE, and 0 outside', () => {
    const segments = tokenize(readCorpus('837p/stupidedi-837p-ambulance.edi'));
    const se = segments.find((segment) => segment.id === 'SE')!;
    assert.deepEqual(
      segments.slice(0, 4).map((segment) => [segment.id, segment.position]),
      [
        ['ISA', 0],
        ['GS', 0],
        ['ST', 1],
        ['BHT', 2],
      ],
    );
    assert.equal(se.position, Number(se.elements[0]), 'a correct SE01 equals the position of SE');
    assert.deepEqual(
      segments.slice(-2).map((segment) => segment.position),
      [0, 0],
    );
  });

  it('keeps elements raw: elements[0] is XX01, composites and repetitions unsplit', () => {
    const clm = tokenize(readCorpus('837p/ims-x12_valid.txt')).find((segment) => segment.id === 'CLM')!;
    assert.deepEqual(clm.elements, ['A37YH556', '500', '', '', '11:B:1', 'Y', 'A', 'Y', 'I', 'P']);
  });

  it('takes the delimiters from each ISA: ims-x12_valid_different_separators reads as ims-x12_valid does', () => {
    const usual = tokenize(readCorpus('837p/ims-x12_valid.txt'));
    const different = tokenize(readCorpus('837p/ims-x12_valid_different_separators.txt'));
    assert.deepEqual(usual[0].delimiters, { element: '*', component: ':', repetition: null, segment: '~' });
    assert.deepEqual(different[0].delimiters, { element: '~', component: '^', repetition: null, segment: '_' });
    const shape = (segments: Segment[], component: string) =>
      segments.slice(1).map((segment) => [segment.id, segment.elements.map((value) => value.replaceAll(component, ':'))]);
    assert.deepEqual(shape(different, '^'), shape(usual, ':'));
  });

  it('reads the 5010 repetition separator from ISA11 (a backtick in the stupidedi COB claim)', () => {
    const [isa] = tokenize(readCorpus('837p/stupidedi-837p-COB-claim-from-billing-provider-to-payer-b.edi'));
    assert.equal(isa.delimiters?.repetition, '`');
  });

  it('reads an 835 whose segments end at line breaks alone the same as with ~ and on one line', () => {
    const ids = (file: string) => tokenize(readCorpus(file)).map((segment) => [segment.id, segment.elements]);
    const newlines = tokenize(readCorpus('835/tp-multi-line-not-delimited.edi'));
    assert.equal(newlines[0].delimiters?.segment, '\n');
    assert.equal(newlines.length, 69);
    assert.deepEqual(ids('835/tp-multi-line-not-delimited.edi'), ids('835/tp-profee.edi'));
    assert.deepEqual(ids('835/tp-profee-one-line.edi'), ids('835/tp-profee.edi'));
  });

  it('tolerates CR LF after terminators, and CR LF as the only terminator', () => {
    const shape = (segments: Segment[]) => segments.map((segment) => [segment.id, segment.elements, segment.line]);
    const valid = readCorpus('837p/ims-x12_valid.txt');
    assert.deepEqual(shape(tokenize(valid.replaceAll('\n', '\r\n'))), shape(tokenize(valid)));
    const newlines = readCorpus('835/tp-multi-line-not-delimited.edi');
    const crlf = newlines.replaceAll('\n', '\r\n');
    assert.deepEqual(shape(tokenize(crlf)), shape(tokenize(newlines)));
    assert.deepEqual(shape(tokenizeInChunks(crlf, 1)), shape(tokenize(newlines)), 'a CR LF split between chunks');
  });

  it('re-reads the delimiters at every ISA of a multi-interchange input', () => {
    const text = readCorpus('837p/ims-x12_valid.txt') + readCorpus('837p/ims-x12_valid_different_separators.txt');
    const segments = tokenize(text);
    const headers = segments.filter((segment) => segment.id === 'ISA');
    assert.deepEqual(
      headers.map((isa) => isa.delimiters?.element),
      ['*', '~'],
    );
    assert.equal(segments.length, 76);
    assert.deepEqual(tokenizeInChunks(text, 7), segments);
    const multiple = tokenize(readCorpus('837p/ims-x12_multiple_isa.txt'));
    assert.equal(multiple.filter((segment) => segment.id === 'ISA').length, 2);
  });

  it('reports a last segment the input ends inside, without its terminator', () => {
    const segments = tokenize(readFixture('truncated.x12'));
    const last = segments.at(-1)!;
    assert.deepEqual([last.id, last.elements, last.unterminated], ['DTP', ['472', 'D8', '2024'], true]);
    assert.equal(segments.filter((segment) => segment.unterminated).length, 1);
    const iea = tokenize(readCorpus('999/ims-x12_999_accepted.txt').replace(/~\s*$/, '')).at(-1)!;
    assert.deepEqual([iea.id, iea.elements, iea.unterminated], ['IEA', ['1', '000000001'], true]);
  });

  it('skips a byte order mark before the ISA', () => {
    const text = readFixture('valid-837p.x12');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    assert.deepEqual(
      tokenizeInChunks(withBom, 2).map((segment) => [segment.id, segment.elements]),
      tokenize(text).map((segment) => [segment.id, segment.elements]),
    );
  });

  it('keeps multi-byte UTF-8 characters whole when a chunk boundary cuts them', () => {
    const text = readFixture('valid-837p.x12').replace('NM1*IL*1*DOE*JANE', 'NM1*IL*1*MÜLLER*JOSÉ€');
    const subscriber = (segments: Segment[]) => segments.find((segment) => segment.id === 'NM1' && segment.elements[0] === 'IL')!;
    assert.deepEqual(subscriber(tokenizeInChunks(text, 1)).elements.slice(0, 4), ['IL', '1', 'MÜLLER', 'JOSÉ€']);
    assert.deepEqual(tokenizeInChunks(text, 1), tokenize(text));
  });

  it('refuses an ISA that is not 106 characters, naming the field and its TA1 note code', () => {
    assert.throws(
      () => tokenize(readFixture('bad-isa-length.x12')),
      (error: unknown) => {
        assert.ok(error instanceof InterchangeHeaderError);
        assert.deepEqual([error.ta1NoteCode, error.line, error.offset, error.issues[0].path], ['006', 1, 0, 'ISA06']);
        return true;
      },
    );
    assert.throws(
      () => tokenize(readCorpus('invalid/ims-x12_bad_first_line.txt')),
      (error: unknown) => error instanceof InterchangeHeaderError && error.ta1NoteCode === '011' && error.issues[0].path === 'ISA02',
    );
  });

  it('refuses input that does not begin with an ISA (TA1 022)', () => {
    assert.throws(
      () => tokenize(readCorpus('invalid/ims-x12_no_isa_line.txt')),
      (error: unknown) => error instanceof InterchangeHeaderError && error.ta1NoteCode === '022' && error.line === 1,
    );
  });

  it('refuses input that ends inside the ISA (TA1 023)', () => {
    const isa = readFixture('valid-837p.x12').slice(0, 60);
    assert.throws(
      () => tokenizeInChunks(isa, 7),
      (error: unknown) => error instanceof InterchangeHeaderError && error.ta1NoteCode === '023',
    );
  });

  it('holds no more than one segment: a runaway segment with no terminator is refused, not buffered', () => {
    const tokenizer = new Tokenizer(() => undefined);
    tokenizer.push(readFixture('valid-837p.x12').split('\n').slice(0, 3).join('\n') + '\n');
    const block = 'NM1*' + 'X'.repeat(64 * 1024);
    assert.throws(
      () => {
        for (let pushed = 0; pushed <= MAX_SEGMENT_LENGTH; pushed += block.length) tokenizer.push(block);
      },
      (error: unknown) => error instanceof SegmentTooLongError && error.line === 4,
    );
  });
});
