import assert from 'node:assert/strict';
import { readHl7Batch } from '../../../connectors/hl7v2/batch.js';
import { BatchEnvelopeError, MissingHeaderError, SegmentIdError } from '../../../connectors/hl7v2/errors.js';

const FHS = 'FHS|^~\\&|SENDER';
const BHS = 'BHS|^~\\&|SENDER';
const message = (id: string) => [`MSH|^~\\&|APP|FAC|||20240101||DFT^P03|${id}|P|2.5`, 'PID|1', `FT1|1|${id}`];

function batchFailure(segments: string[]): BatchEnvelopeError {
  try {
    readHl7Batch(segments.join('\r'));
  } catch (error) {
    assert.ok(error instanceof BatchEnvelopeError, `expected BatchEnvelopeError, got ${String(error)}`);
    return error;
  }
  return assert.fail('the batch was accepted');
}

describe('HL7 v2 batch files', () => {
  it('splits FHS/BHS batches into their messages, each with its own segments and text', () => {
    const batch = readHl7Batch([FHS, BHS, ...message('A'), ...message('B'), 'BTS|2', BHS, ...message('C'), 'BTS|1', 'FTS|2'].join('\r'));
    assert.deepEqual(
      batch.batches.map((group) => group.messages.map((m) => m.header.controlId)),
      [['A', 'B'], ['C']],
    );
    assert.deepEqual(
      batch.messages.map((m) => m.segments.length),
      [3, 3, 3],
    );
    assert.equal(batch.messages[1].text, message('B').join('\r'));
    assert.equal(batch.fileHeader?.fields[3], 'SENDER');
  });

  it('reads messages without any envelope, and a BHS batch without FHS', () => {
    assert.equal(readHl7Batch([...message('A'), ...message('B')].join('\n')).messages.length, 2);
    const batch = readHl7Batch([BHS, ...message('A'), 'BTS|1'].join('\n'));
    assert.equal(batch.fileHeader, null);
    assert.equal(batch.batches[0].header?.id, 'BHS');
  });

  it('does not check a trailer count left empty', () => {
    assert.equal(readHl7Batch([FHS, BHS, ...message('A'), 'BTS', 'FTS|'].join('\r')).messages.length, 1);
  });

  it('refuses a BTS whose message count is wrong, naming BTS-1 and its line', () => {
    const error = batchFailure([FHS, BHS, ...message('A'), ...message('B'), 'BTS|3', 'FTS|1']);
    assert.deepEqual([error.segmentId, error.field, error.line, error.issues[0].rule], ['BTS', 1, 9, 'batch-count']);
    assert.match(error.message, /states 3 messages in the batch, the file holds 2/);
  });

  it('refuses an FTS whose batch count is wrong, and a count that is not a number', () => {
    const wrong = batchFailure([FHS, BHS, ...message('A'), 'BTS|1', 'FTS|2']);
    assert.deepEqual([wrong.segmentId, wrong.field], ['FTS', 1]);
    assert.match(batchFailure([FHS, BHS, ...message('A'), 'BTS|one', 'FTS|1']).message, /"one" is not a number/);
  });

  it('refuses a batch without BTS and a file without FTS', () => {
    assert.match(batchFailure([FHS, BHS, ...message('A'), 'FTS|1']).message, /FTS before the BTS/);
    assert.match(batchFailure([BHS, ...message('A')]).message, /the batch has no BTS/);
    assert.match(batchFailure([FHS, BHS, ...message('A'), 'BTS|1']).message, /the file has no FTS/);
  });

  it('refuses envelope segments out of order', () => {
    assert.match(batchFailure([...message('A'), 'BTS|1']).message, /BTS without its BHS/);
    assert.match(batchFailure([BHS, ...message('A'), BHS]).message, /BHS before the BTS/);
    assert.match(batchFailure([FHS, BHS, ...message('A'), 'BTS|1', 'FTS|1', ...message('B')]).message, /nothing may follow FTS/);
    assert.match(batchFailure([BHS, 'PID|1', ...message('A'), 'BTS|1']).message, /PID outside a message/);
    assert.match(batchFailure([BHS, ...message('A'), 'BTS|1', ...message('B')]).message, /MSH after BTS/);
    assert.match(batchFailure([BHS, FHS]).message, /FHS must be the first/);
  });

  it('refuses a file that starts with neither FHS, BHS nor MSH', () => {
    assert.throws(() => readHl7Batch('PID|1\rMSH|^~\\&'), MissingHeaderError);
  });

  it('counts segment positions from the start of the file in a message error', () => {
    try {
      readHl7Batch([FHS, BHS, ...message('A'), 'bad|1', 'BTS|1', 'FTS|1'].join('\r'));
      assert.fail('the batch was accepted');
    } catch (error) {
      assert.ok(error instanceof SegmentIdError);
      assert.deepEqual([error.segmentIndex, error.line], [6, 6]);
    }
  });
});
