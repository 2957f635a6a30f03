import assert from 'node:assert/strict';
import jsonata from 'jsonata';
import { messageJson } from '../../../connectors/hl7v2/message-json.js';
import { parseHl7Message } from '../../../connectors/hl7v2/parse.js';

const MSH = 'MSH|^~\\&|APP|FAC|||20240101||DFT^P03|C1|P|2.5';

function jsonOf(...segments: string[]) {
  return messageJson(parseHl7Message([MSH, ...segments].join('\r')));
}

async function read(expression: string, json: unknown): Promise<unknown> {
  const result: unknown = await jsonata(expression).evaluate(json);
  // JSONata's results carry sequence flags and null prototypes; compare the plain values only.
  return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
}

describe('HL7 v2 JSON view', () => {
  it('keys segments by id, every occurrence in order, with its position in the message', () => {
    const json = jsonOf('FT1|1', 'PR1|1', 'FT1|2');
    assert.deepEqual(
      (json.FT1 as { position: number }[]).map((s) => s.position),
      [2, 4],
    );
    assert.equal((json.PR1 as { position: number }[])[0].position, 3);
  });

  it('leaves empty fields and components out and makes the HL7 null "" a JSON null', async () => {
    const json = jsonOf('PID|1||""|^^""^|A^^C');
    assert.deepEqual(json.PID, [
      { position: 2, PID_1: [{ C1: '1' }], PID_3: [{ C1: null }], PID_4: [{ C3: null }], PID_5: [{ C1: 'A', C3: 'C' }] },
    ]);
    assert.equal(await read('$exists(PID.PID_2)', json), false);
    assert.equal(await read('$exists(PID.PID_3.C1)', json), true);
    assert.equal(await read('PID.PID_3.C1', json), null);
  });

  it('keeps an empty repetition in place so the ones after it keep their index', () => {
    assert.deepEqual(jsonOf('PID|1||A~~C').PID, [{ position: 2, PID_1: [{ C1: '1' }], PID_3: [{ C1: 'A' }, {}, { C1: 'C' }] }]);
  });

  it('gives a component with subcomponents its first subcomponent as C<n> and each one as C<n>_<m>', () => {
    const json = jsonOf('PID|1||X^^^&2.16.1&ISO~Y^^^NS&1.2&ISO');
    assert.deepEqual((json.PID as Record<string, unknown>[])[0].PID_3, [
      { C1: 'X', C4_2: '2.16.1', C4_3: 'ISO' },
      { C1: 'Y', C4: 'NS', C4_1: 'NS', C4_2: '1.2', C4_3: 'ISO' },
    ]);
  });

  it('unescapes values after splitting, so escaped separators stay inside their value', () => {
    const json = jsonOf('NTE|1||Smith \\T\\ Sons\\S\\ 50\\F\\50 \\R\\ ok');
    assert.deepEqual((json.NTE as Record<string, unknown>[])[0].NTE_3, [{ C1: 'Smith & Sons^ 50|50 ~ ok' }]);
  });

  it('reads the same JSONata path for one repetition and for several, and one FT1 or several', async () => {
    const one = jsonOf('PID|1||MRN1^^^H^MR', 'FT1|1||||||99213');
    const many = jsonOf('PID|1||SSN^^^SSA^SS~MRN1^^^H^MR', 'FT1|1||||||99213', 'FT1|2||||||99214');
    for (const json of [one, many]) assert.equal(await read('PID.PID_3[C5 = "MR"].C1', json), 'MRN1');
    assert.equal(await read('FT1.FT1_7.C1', one), '99213');
    assert.deepEqual(await read('FT1.FT1_7.C1', many), ['99213', '99214']);
    assert.deepEqual(await read('FT1.{"code": FT1_7.C1}', many), [{ code: '99213' }, { code: '99214' }]);
  });

  it('gives every repetition of every FT1 without mixing the segments', async () => {
    const json = jsonOf('FT1|1||||||||||||||||||A01~A02', 'FT1|2||||||||||||||||||B01');
    assert.deepEqual(await read('FT1.[FT1_19.C1]', json), [['A01', 'A02'], ['B01']]);
  });

  it('holds MSH-1 and MSH-2 as written and the typed header beside the segments', () => {
    const json = jsonOf();
    const msh = (json.MSH as Record<string, unknown>[])[0];
    assert.deepEqual([msh.MSH_1, msh.MSH_2, msh.MSH_9], [[{ C1: '|' }], [{ C1: '^~\\&' }], [{ C1: 'DFT', C2: 'P03' }]]);
    assert.equal(json.header.controlId, 'C1');
  });
});
