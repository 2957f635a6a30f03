import assert from 'node:assert/strict';
import { corpusFiles, pyx12Log, readCorpus } from '../corpus-files.js';
import { claimhubStructureLines } from './pyx12-structure.js';
import { coded, elements, loops, readStructure } from './read-structure.js';

const acknowledgments = corpusFiles().filter((file) => file.startsWith('999/'));

/** A 999 rejecting two claims of an 837: a segment error with its context, an element note, then an accepted set. */
const REJECTING_999 = [
  'ISA*00*          *00*          *ZZ*PAYER          *ZZ*SUBMITTER      *240102*0900*^*00501*000000002*0*P*:~',
  'GS*FA*PAYER*SUBMITTER*20240102*0900*2*X*005010X231A1~',
  'ST*999*0001*005010X231A1~',
  'AK1*HC*1*005010X222A1~',
  'AK2*837*0001*005010X222A1~',
  'IK3*NM1*8*2010BA*8~',
  'CTX*CLM01:C1~',
  'IK4*9*67*1~',
  'CTX*SITUATIONAL TRIGGER*NM1*8**8:1~',
  'IK3*DTP*25*2400*3~',
  'IK5*R*5~',
  'AK2*837*0002*005010X222A1~',
  'IK5*A~',
  'AK9*P*2*2*1~',
  'SE*13*0001~',
  'GE*1*2~',
  'IEA*1*000000002~',
].join('\n');

describe('X12 999 loop tree', () => {
  it('reads each corpus 999 into a tree: AK1, one 2000 per AK2 with its IK3 loops and IK5, AK9', () => {
    const [accepted] = readStructure(readCorpus('999/ims-x12_999_accepted.txt')).trees;
    assert.deepEqual(elements(accepted, 'AK1'), [['HC', '17456', '005010X223A2']]);
    assert.deepEqual(elements(accepted, 'AK9'), [['A', '1', '1', '1']]);
    const [acceptedSet] = loops(accepted, '2000');
    assert.deepEqual(elements(acceptedSet, 'AK2'), [['837', '0001', '005010X223A2']]);
    assert.deepEqual(elements(acceptedSet, 'IK5'), [['A']]);
    assert.deepEqual(acceptedSet.loops, []);

    const [rejected] = readStructure(readCorpus('999/ims-x12_999_rejected.txt')).trees;
    assert.deepEqual(elements(rejected, 'AK9'), [['R', '1', '1', '0']]);
    const [rejectedSet] = loops(rejected, '2000');
    assert.deepEqual(elements(rejectedSet, 'AK2'), [['837', '0028']]);
    assert.deepEqual(elements(rejectedSet, 'IK5'), [['R', '5']]);
    assert.deepEqual(
      loops(rejectedSet, '2100').map((error) => error.segments[0].elements),
      [['NM', '17', '', '1']],
    );
  });

  it('finds no loop defect in the corpus 999s (pyx12 logged none of them)', () => {
    for (const file of acknowledgments) {
      assert.equal(pyx12Log(file), undefined, file);
      const read = readStructure(readCorpus(file));
      assert.deepEqual(claimhubStructureLines(read.findings, read.ordinal), [], file);
    }
  });

  it('keeps each segment error with its context and element notes, and IK5 with its own set', () => {
    const { trees, sets } = readStructure(REJECTING_999);
    assert.deepEqual(sets[0].findings, []);
    const [first, second] = loops(trees[0], '2000');
    const [nameError, dateError] = loops(first, '2100');
    assert.deepEqual(elements(nameError, 'CTX'), [['CLM01:C1']]);
    assert.deepEqual(
      loops(nameError, '2110').map((note) => [elements(note, 'IK4')[0], elements(note, 'CTX')[0][0]]),
      [[['9', '67', '1'], 'SITUATIONAL TRIGGER']],
    );
    assert.deepEqual(dateError.segments[0].elements, ['DTP', '25', '2400', '3']);
    assert.deepEqual(elements(first, 'IK5'), [['R', '5']]);
    assert.deepEqual([elements(second, 'IK5'), second.loops], [[['A']], []]);
  });

  it('reports a set response without IK5 (IK304 3, loop 2000) where the next AK2 begins', () => {
    const read = readStructure(REJECTING_999.replace('IK5*R*5~\n', ''));
    assert.deepEqual(coded(read), [['3', 'required-segment', '2000']]);
    assert.equal(read.findings[0].segmentId, 'IK5');
    assert.equal(read.ordinal(read.findings[0].offset), 11);
  });

  it('reports a 999 without AK9 (IK304 3 in the header loop) and an IK3 after IK5 (IK304 7)', () => {
    assert.deepEqual(coded(readStructure(REJECTING_999.replace('AK9*P*2*2*1~\n', ''))), [['3', 'required-segment', 'ST']]);
    const late = readStructure(REJECTING_999.replace('IK5*A~', 'IK5*A~\nIK3*CLM*30**8~'));
    assert.deepEqual(coded(late), [['7', 'loop-order', '2100']]);
  });

  it('reports an element note over its repeat of 99 (IK304 4, loop 2110)', () => {
    const notes = Array.from({ length: 100 }, (_, i) => `IK4*${i + 1}**1~`).join('\n');
    const read = readStructure(REJECTING_999.replace('IK3*DTP*25*2400*3~', `IK3*DTP*25*2400*8~\n${notes}`));
    assert.deepEqual(coded(read), [['4', 'loop-repeat', '2110']]);
    assert.equal(read.ordinal(read.findings[0].offset), 10 + 100);
  });
});
