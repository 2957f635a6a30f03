import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import jsonata from 'jsonata';
import { readHl7Batch } from '../../../connectors/hl7v2/batch.js';
import { messageJson, type SegmentJson } from '../../../connectors/hl7v2/message-json.js';
import { parseHl7Message } from '../../../connectors/hl7v2/parse.js';
import { CORPUS } from '../../support/corpus.js';

const MSH = 'MSH|^~\\&|APP|FAC|||20240101||DFT^P03|C1|P|2.5';
const PID = 'PID|1||MRN1^^^H&1.2&ISO^MR~SSN^^^SSA^SS||DOE\\T\\SONS^JANE|||F|||1 Main St^^Town^ST^12345|""';

function pidOf(...segments: string[]): SegmentJson {
  return (messageJson(parseHl7Message([MSH, PID, ...segments].join('\r'))).PID as SegmentJson[])[0];
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function evaluate(expression: string, input: unknown): Promise<unknown> {
  const result: unknown = await jsonata(expression).evaluate(input);
  return result === undefined ? undefined : plain(result);
}

describe('HL7 v2 JSON view segments (fields built when read)', () => {
  it('lists position and the non-empty fields in field order, whichever fields were read first', () => {
    const read = pidOf();
    assert.equal((read.PID_11 as Record<string, string>[])[0].C3, 'Town');
    assert.equal((read.PID_5 as Record<string, string>[])[0].C1, 'DOE&SONS');
    assert.deepEqual(Object.keys(read), ['position', 'PID_1', 'PID_3', 'PID_5', 'PID_8', 'PID_11', 'PID_12']);
    assert.equal(JSON.stringify(read), JSON.stringify(pidOf()));
    assert.deepEqual(read, plain(pidOf()));
  });

  it('answers reads and `in` for present fields only; empty fields and other keys are absent', () => {
    const pid = pidOf();
    assert.equal('PID_3' in pid, true);
    assert.equal('PID_2' in pid, false);
    assert.equal(Object.prototype.hasOwnProperty.call(pid, 'PID_12'), true);
    assert.deepEqual(pid.PID_12, [{ C1: null }]);
    for (const key of ['PID_2', 'PID_0', 'PID_03', 'PID_99', 'PV1_3', 'PID_', 'PID_3x']) assert.equal(pid[key], undefined, key);
    assert.equal(pid.position, 2);
    assert.equal(pid.PID_3, pid.PID_3, 'a field is built once and kept');
  });

  it('reads MSH-1 and MSH-2 as written, before MSH-3', () => {
    const msh = (messageJson(parseHl7Message(MSH)).MSH as SegmentJson[])[0];
    assert.deepEqual([msh.MSH_1, msh.MSH_2, msh.MSH_10], [[{ C1: '|' }], [{ C1: '^~\\&' }], [{ C1: 'C1' }]]);
    assert.deepEqual(Object.keys(msh).slice(0, 4), ['position', 'MSH_1', 'MSH_2', 'MSH_3']);
  });

  it('is the same data to JSONata as its plain copy: wildcards, $keys, $string, $spread, descendants, transforms', async () => {
    const json = messageJson(parseHl7Message([MSH, PID, 'FT1|1||||||99213^Visit~X', 'ZPD|1|a^b&c'].join('\r')));
    for (const expression of [
      'PID.*.C1',
      '$keys(PID)',
      '$string(PID)',
      '$spread(FT1)',
      '**.C3',
      'ZPD.ZPD_2.C2_2',
      '$each(PID[0], function($v, $k) { $k })',
      '$sift(PID[0], function($v, $k) { $k = "PID_5" })',
      'PID ~> |$|{"PID_99": [{"C1": "added"}]}, ["PID_8"]|',
      'FT1.FT1_7[C1 = "X"] ? "yes" : "no"',
    ]) {
      assert.deepEqual(await evaluate(expression, json), await evaluate(expression, plain(json)), expression);
    }
  });

  it('becomes an ordinary object on the first write, keeping every field', () => {
    const pid = pidOf();
    assert.ok(pid.PID_3);
    pid.note = 7;
    assert.deepEqual(Object.keys(pid), ['position', 'PID_1', 'PID_3', 'PID_5', 'PID_8', 'PID_11', 'PID_12', 'note']);
    delete pid.PID_5;
    assert.equal(pid.PID_5, undefined);
    assert.equal('PID_5' in pid, false);
    assert.deepEqual(pid.PID_8, [{ C1: 'F' }]);
    const frozen = Object.freeze(pidOf());
    assert.equal(Object.isFrozen(frozen), true);
    assert.deepEqual(frozen, plain(pidOf()));
  });

  it('shows every field in util.inspect (console.log), not an empty shell', () => {
    const pid = pidOf();
    assert.equal(inspect(pid, { depth: 5 }), inspect(plain(pid), { depth: 5 }));
    assert.match(inspect(pid), /PID_11/);
  });

  it('gives every corpus message the same JSON read field by field, backwards, as enumerated at once', () => {
    const folder = join(CORPUS, 'hl7v2');
    for (const file of readdirSync(folder)) {
      for (const message of readHl7Batch(readFileSync(join(folder, file), 'utf8')).messages) {
        const enumerated = JSON.stringify(messageJson(message));
        const json = messageJson(message);
        for (const segment of [...message.segments].reverse()) {
          const view = (json[segment.id] as SegmentJson[]).find((s) => s.position === message.segments.indexOf(segment) + 1)!;
          for (let field = segment.fields.length - 1; field > 0; field--) assert.doesNotThrow(() => view[`${segment.id}_${field}`]);
        }
        assert.equal(JSON.stringify(json), enumerated, file);
      }
    }
  });
});
