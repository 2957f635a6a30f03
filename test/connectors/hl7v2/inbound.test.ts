import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnsupportedMessageError } from '../../../canonical-model/errors.js';
import { hl7BatchAcknowledgement } from '../../../connectors/hl7v2/batch-ack.js';
import { splitHl7 } from '../../../connectors/hl7v2/inbound.js';
import { parseHl7Message } from '../../../connectors/hl7v2/parse.js';
import { segmentLines } from '../../../connectors/hl7v2/segments.js';
import { CORPUS } from '../../support/corpus.js';

const corpus = (name: string) => readFileSync(join(CORPUS, 'hl7v2', name), 'utf8');
const NOW = new Date('2026-11-25T00:00:00Z');

describe('HL7 v2 batches at intake', () => {
  it('is not a batch: one message', () => {
    assert.equal(splitHl7(corpus('msconv-DFT-P03-01.hl7')), undefined);
  });

  it('splits the corpus FHS/BHS files into one self-contained part per message, with their control ids and types', () => {
    for (const [name, count] of [['cdcprs-batch-oru-r01-2.hl7', 2], ['cdcprs-batch-oru-r01-20.hl7', 20]] as const) {
      const batch = splitHl7(corpus(name))!;
      assert.equal(batch.rejection, undefined, name);
      assert.equal(batch.parts.length, count, name);
      for (const part of batch.parts) {
        const message = parseHl7Message(part.raw);
        assert.equal(part.controlIds.controlId, message.header.controlId);
        assert.equal(part.messageType, 'ORU^R01');
        assert.ok(!/^(FHS|BHS|BTS|FTS)/m.test(part.raw.replaceAll('\r', '\n')), 'envelope segments stay out of the parts');
      }
    }
  });

  it('splits messages sent one after another without an envelope', () => {
    const one = corpus('msconv-ADT04-251.hl7').trim();
    const batch = splitHl7(`${one}\r\n${one.replace(/\|([^|]*)\|P\|/, '|SECOND|P|')}\r\n`)!;
    assert.equal(batch.parts.length, 2);
    assert.deepEqual(batch.controlIds, {});
  });

  it('rejects a batch whose trailer count disagrees, located at BTS-1', () => {
    const batch = splitHl7(corpus('cdcprs-batch-oru-r01-2.hl7').replace('BTS|2', 'BTS|3'))!;
    assert.equal(batch.parts.length, 0);
    assert.match(batch.rejection!.issues[0].path, /BTS-1/);
  });

  it('answers a batch with a batch of ACKs in a mirrored envelope: one ACK per message in order, counts in BTS/FTS', () => {
    const raw = corpus('cdcprs-batch-oru-r01-2.hl7');
    const batch = splitHl7(raw)!;
    const error = new UnsupportedMessageError('ORU^R01 is not translated', [{ path: 'MSH-9', rule: 'no-mapping', message: 'ORU^R01 is not translated' }]);
    const ack = hl7BatchAcknowledgement(raw, [{ raw: batch.parts[0].raw, outcome: { kind: 'accepted' } }, { raw: batch.parts[1].raw, outcome: { kind: 'refused', error } }], undefined, NOW);
    const lines = segmentLines(ack.text).map((line) => line.text);
    assert.deepEqual(lines.map((line) => line.slice(0, 3)), ['FHS', 'BHS', 'MSH', 'MSA', 'MSH', 'MSA', 'ERR', 'BTS', 'FTS']);
    assert.match(lines[0], /^FHS\|\^~\\&\|CLAIMHUB\|\|CDC PRIME/, 'the sender named as receiver, claimhub as sender');
    assert.equal(lines[7], 'BTS|2');
    assert.equal(lines[8], 'FTS|1');
    assert.equal(lines[3], `MSA|AA|${batch.parts[0].controlIds.controlId}`);
    assert.equal(lines[5], `MSA|AR|${batch.parts[1].controlIds.controlId}|ORU\\S\\R01 is not translated`);
  });
});
