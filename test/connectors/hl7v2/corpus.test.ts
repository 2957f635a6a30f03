import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { readHl7Batch } from '../../../connectors/hl7v2/batch.js';
import { messageJson } from '../../../connectors/hl7v2/message-json.js';
import { CORPUS } from '../../support/corpus.js';

const HL7_CORPUS = join(CORPUS, 'hl7v2');

interface Expected {
  messages: number;
  type: string;
  controlId: string;
  version: string;
  /** Segments of the first message. */
  segments: number;
  /** JSONata expressions on the first message's JSON view and what they give. */
  fields: Record<string, unknown>;
}

const PID3_GOOD_HEALTH = ['PATID1234', '123456789'];

const EXPECTED: Record<string, Expected> = {
  'cdcprs-batch-oru-r01-2.hl7': {
    messages: 2,
    type: 'ORU^R01^ORU_R01',
    controlId: '371784',
    version: '2.5.1',
    segments: 11,
    fields: { '$count(OBX)': 5, 'header.sendingFacility.namespaceId': 'Avante at Ormond Beach' },
  },
  'cdcprs-batch-oru-r01-20.hl7': {
    messages: 20,
    type: 'ORU^R01^ORU_R01',
    controlId: '885617',
    version: '2.5.1',
    segments: 12,
    fields: { 'PID.PID_3.C1': 'kc3oy', 'PID.PID_5.C2': 'Stephenie', 'OBX[5].OBX_3.C1': '95419-8' },
  },
  'msconv-ADT-A04-01.hl7': {
    messages: 1,
    type: 'ADT^A04^ADT_A04',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 24,
    fields: { 'PID.PID_3.C1': PID3_GOOD_HEALTH, 'OBX.OBX_5.C1': ['60', '120'], '$count(ROL)': 3 },
  },
  'msconv-ADT-A04-02.hl7': {
    messages: 1,
    type: 'ADT^A04^ADT_A04',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 5,
    fields: { 'PID.PID_3[C5 = "SS"].C4': 'USSSA', 'PV1.PV1_3.C1_2': '9.8' },
  },
  'msconv-ADT-A08-01.hl7': {
    messages: 1,
    type: 'ADT^A08^ADT_A08',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 24,
    fields: { 'DG1.DG1_3.C2': 'Ischemic stroke(disorder)', 'PID.PID_3[0].C4_2': '2.16.1' },
  },
  'msconv-ADT-A08-02.hl7': {
    messages: 1,
    type: 'ADT^A08^ADT_A08',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 4,
    fields: { 'PID.PID_2.C6': 'University Hospital', 'PV1.PV1_2.C1': 'P' },
  },
  'msconv-ADT04-251.hl7': {
    messages: 1,
    type: 'ADT^A04',
    controlId: '1270326314',
    version: '2.3',
    segments: 4,
    fields: { 'PID.PID_3.C1': 'MRN12345', 'PID.PID_5.C1': 'Doe', 'NK1.NK1_5.C1': ['(130) 724-0433', '(330) 274-8214'] },
  },
  'msconv-ADT04-28.hl7': {
    messages: 1,
    type: 'ADT^A04',
    controlId: '1270326314',
    version: '2.3',
    segments: 8,
    fields: { 'PID.PID_3.C4': ['MR', 'EHRID', 'NIST'], 'IN1.IN1_2.C2': 'HMO Deductable Plan' },
  },
  'msconv-BAR-P01-01.hl7': {
    messages: 1,
    type: 'BAR^P01^BAR_P01',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 20,
    fields: { 'PID.PID_3.C1': PID3_GOOD_HEALTH, '$count(PRT)': 3 },
  },
  'msconv-BAR-P01-02.hl7': {
    messages: 1,
    type: 'BAR^P01^BAR_P01',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 27,
    fields: { '$count(PV1)': 2, '$count(IN1)': 2 },
  },
  'msconv-BAR-P12-01.hl7': {
    messages: 1,
    type: 'BAR^P12^BAR_P12',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 9,
    fields: { 'DG1.DG1_3.C1': '422504002', 'OBX.OBX_2.C1': 'RP' },
  },
  'msconv-DFT-P03-01.hl7': {
    messages: 1,
    type: 'DFT^P03^DFT_P03',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 19,
    fields: {
      'PID.PID_3.C1': PID3_GOOD_HEALTH,
      'FT1.FT1_7.C1': ['71045', '626.2'],
      'FT1.FT1_11.C1': ['100', '120'],
      'FT1[0].FT1_19.C2': ['Chest pain', 'Nasal congestion'],
    },
  },
  'msconv-DFT-P03-02.hl7': {
    messages: 1,
    type: 'DFT^P03^DFT_P03',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 30,
    fields: { 'FT1.FT1_1.C1': ['1', '2'], 'FT1[1].FT1_19.C1': '29857009', '$count(NTE)': 5 },
  },
  'msconv-DFT-P11-01.hl7': {
    messages: 1,
    type: 'DFT^P11^DFT_P11',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 19,
    fields: { '$count(FT1)': 2, '$count(DG1)': 3, 'DG1[0].DG1_3.C2': 'Chest pain' },
  },
  'msconv-DFT-P11-02.hl7': {
    messages: 1,
    type: 'DFT^P11^DFT_P11',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 35,
    fields: { '$count(FT1)': 2, 'OBX.OBX_3.C1': ['ERDr1', 'ERDr2'] },
  },
  'msconv-ORU-R01-01.hl7': {
    messages: 1,
    type: 'ORU^R01^ORU_R01',
    controlId: '2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325',
    version: '2.5.1',
    segments: 29,
    fields: { 'PID.PID_3.C4_2': '2.16.840.1.114222.4.3.3.5.1.2', 'PID.PID_5.C2': 'Huckleberry' },
  },
  'msconv-SIU-S12-01.hl7': {
    messages: 1,
    type: 'SIU^S12^SIU_S12',
    controlId: 'MSG00012',
    version: '2.8',
    segments: 18,
    fields: { 'SCH.SCH_1.C1': '12345', 'SCH.SCH_12.C2_2': 'Mr.', 'OBX.OBX_5.C1': '72' },
  },
  'msconv-VXU-V04-01.hl7': {
    messages: 1,
    type: 'VXU^V04^VXU_V04',
    controlId: 'MSG00001',
    version: '2.8',
    segments: 23,
    fields: { 'IN1.IN1_4.C1': 'Blue Cross Blue Shield of Texas', 'IN1.IN1_3.C4_2': '2.16.840.1.113883.1.1' },
  },
};

function readCorpusFile(name: string): string {
  return readFileSync(join(HL7_CORPUS, name), 'utf8');
}

/** Segment count the plain way: non-blank lines of the message, BOM aside. */
function plainSegmentCount(messageText: string): number {
  return messageText.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '').length;
}

describe('HL7 v2 corpus', () => {
  it('has an expectation for every corpus file', () => {
    assert.deepEqual(readdirSync(HL7_CORPUS).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`reads ${file}: ${expected.messages} ${expected.type} message(s), control ids, segments and fields`, async () => {
      const batch = readHl7Batch(readCorpusFile(file));
      assert.equal(batch.messages.length, expected.messages);
      const first = batch.messages[0];
      const { messageType, triggerEvent, messageStructure } = first.header;
      assert.equal([messageType, triggerEvent, messageStructure].filter((part) => part !== '').join('^'), expected.type);
      assert.equal(first.header.controlId, expected.controlId);
      assert.equal(first.header.version, expected.version);
      assert.equal(first.segments.length, expected.segments);
      const json = messageJson(first);
      for (const [expression, value] of Object.entries(expected.fields)) {
        const result: unknown = await jsonata(expression).evaluate(json);
        // JSONata marks result sequences with a `sequence` property; compare the values only.
        assert.deepEqual(Array.isArray(result) ? [...result] : result, value, expression);
      }
    });
  }

  it('reads every message of every file with one segment per non-blank line and MSH first', () => {
    for (const file of Object.keys(EXPECTED)) {
      for (const message of readHl7Batch(readCorpusFile(file)).messages) {
        assert.equal(message.segments[0].id, 'MSH', file);
        assert.equal(message.segments.length, plainSegmentCount(message.text), file);
        assert.ok(message.header.version >= '2.3' && message.header.version <= '2.8', file);
      }
    }
  });

  it('splits the CR-separated 20-message batch in file order, with every control id', () => {
    const ids = readHl7Batch(readCorpusFile('cdcprs-batch-oru-r01-20.hl7')).messages.map((m) => m.header.controlId);
    assert.deepEqual(ids, [
      '885617',
      '982797',
      '297337',
      '286308',
      '238309',
      '541455',
      '707323',
      '376677',
      '961377',
      '710624',
      '072603',
      '784287',
      '217978',
      '527133',
      '577246',
      '633319',
      '057169',
      '484457',
      '707069',
      '556619',
    ]);
  });

  it('splits the LF-separated 2-message batch under its FHS and single BHS', () => {
    const batch = readHl7Batch(readCorpusFile('cdcprs-batch-oru-r01-2.hl7'));
    assert.equal(batch.fileHeader?.id, 'FHS');
    assert.equal(batch.batches.length, 1);
    assert.equal(batch.batches[0].header?.id, 'BHS');
    assert.deepEqual(
      batch.messages.map((m) => m.header.controlId),
      ['371784', '612092'],
    );
  });
});
