// Micro-benchmark of the HL7 v2 reader as a DFT→Claim mapping uses it: parse, then read every field
// the mapping reads (MAPPED_FIELDS, unescaped, every repetition of every repeating segment), on the
// corpus DFT^P03 (msconv-DFT-P03-01, 5.4 KB, 19 segments) and on a 1 KB clinic DFT^P03 built here.
// Readers, measured in the same run, rounds interleaved:
//   claimhub         parseHl7Message + messageJson, the JSON view JSONata mappings read;
//   node-hl7-client  new Message({ text }) + get() of the same components (segment lists through
//                    get('FT1').forEach, repetitions through field.forEach: its plain paths read
//                    only the first of each);
//   plain split      String.split into nested arrays at every level, every piece read: no escapes,
//                    header or checks (the naive reader LIBRARIES.md quotes; it reads everything,
//                    where the others read the mapped fields).
// Both full readers must return the same values before anything is timed.
//   usage: node --import tsx bench/hl7-parse.ts   (BENCH_MS: time per case, default 2000)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Message, type HL7Node } from 'node-hl7-client';
import { messageJson, type RepetitionJson, type SegmentJson } from '../connectors/hl7v2/message-json.js';
import { parseHl7Message } from '../connectors/hl7v2/parse.js';
import { CORPUS } from '../test/support/corpus.js';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 2000);
const WARM_UP_MS = 300;
const ROUNDS = 5;

const C1 = ['C1'];
const CODED = ['C1', 'C2', 'C3'];
const ADDRESS = ['C1', 'C3', 'C4', 'C5'];
const MONEY = ['C1', 'C1_2'];
const PERSON = ['C1', 'C2', 'C3', 'C9_2'];

/**
 * What a DFT→Claim mapping reads, by segment id and field number: in every occurrence of the
 * segment, every repetition of the field, these JSON view keys. `C4` is component 4 (its first
 * subcomponent when it has several), `C4_2` subcomponent 2 (when there are several: node-hl7-client
 * reads a plain component as its own subcomponent 1, the JSON view does not, so a first
 * subcomponent is read as `C<n>`).
 */
const MAPPED: Record<string, Record<number, string[]>> = {
  MSH: { 3: C1, 4: C1, 7: C1, 9: CODED, 10: C1, 12: C1 },
  PID: { 3: ['C1', 'C4', 'C4_2', 'C5'], 5: CODED, 7: C1, 8: C1, 11: ADDRESS, 18: C1 },
  PV1: { 2: C1, 3: ['C1', 'C2', 'C3', 'C4'], 7: PERSON, 19: C1, 44: C1, 45: C1 },
  FT1: { 4: C1, 6: C1, 7: CODED, 10: C1, 11: MONEY, 12: MONEY, 13: C1, 19: CODED, 20: PERSON, 25: C1, 26: C1, 29: C1 },
  DG1: { 3: CODED, 6: C1 },
  PR1: { 3: CODED, 5: C1 },
  IN1: { 2: ['C1', 'C2'], 3: ['C1', 'C4_2'], 4: C1, 5: ADDRESS, 8: C1, 9: C1, 12: C1, 13: C1, 15: C1, 16: CODED, 17: C1, 18: C1, 36: C1 },
  IN2: { 1: C1, 2: C1 },
  GT1: { 3: ['C1', 'C2'], 5: ADDRESS },
};

interface MappedField {
  number: number;
  /** JSON view keys, `C4_2`. */
  keys: string[];
  /** The same as node-hl7-client paths, component then subcomponent: `['4', '2']`. */
  paths: string[][];
  /** `PID_3`. */
  designator: string;
}

const MAPPED_FIELDS = Object.entries(MAPPED).map(([segment, fields]) => ({
  segment,
  fields: Object.entries(fields).map(([number, keys]): MappedField => ({
    number: Number(number),
    keys,
    paths: keys.map((key) => key.slice(1).split('_')),
    designator: `${segment}_${number}`,
  })),
}));

// ---- inputs ----------------------------------------------------------------------------------------

const CORPUS_DFT = readFileSync(join(CORPUS, 'hl7v2/msconv-DFT-P03-01.hl7'), 'utf8');

/** One segment line from its non-empty fields by number. */
function segment(id: string, values: Record<number, string>): string {
  const last = Math.max(...Object.keys(values).map(Number));
  return [id, ...Array.from({ length: last }, (_, i) => values[i + 1] ?? '')].join('|');
}

const NPI = '1234567893^Patel^Anil^^^^MD^^&2.16.840.1.113883.4.6&ISO^^^^NPI';
const ADDRESS_LINE = '12 Elm St^Apt 4^Springfield^IL^62704^USA';
/** A clinic's DFT^P03: two charges with diagnoses, one plan, a guarantor, an escaped `&` in a name. */
const CLINIC_DFT = [
  'MSH|^~\\&|PMS|NORTHCLINIC^1.2.840.114350.1.13.99^ISO|CLAIMHUB|BILLING|20240315103000-0500||DFT^P03^DFT_P03|DFT0315001|P|2.5.1',
  'EVN|P03|20240315103000',
  segment('PID', {
    1: '1',
    3: 'MRN00412^^^NORTHCLINIC&1.2.840.114350.1.13.99&ISO^MR~123456789^^^SSA^SS',
    5: "O'Neil\\T\\Ryan^Kathleen^M",
    7: '19680412',
    8: 'F',
    11: ADDRESS_LINE,
    13: '(217)555-0142',
    18: 'ACC556677',
  }),
  segment('PV1', { 1: '1', 2: 'O', 3: 'CLINIC^101^A^NORTHCLINIC', 7: NPI, 19: 'V0044556', 44: '20240315090000', 45: '20240315100000' }),
  segment('FT1', {
    1: '1',
    4: '20240315',
    5: '20240315',
    6: 'CG',
    7: '99214^Office visit est moderate^CPT',
    10: '1',
    11: '145.00&USD',
    12: '145.00&USD',
    13: 'IM',
    19: 'E11.9^Type 2 diabetes^I10~I10^Hypertension^I10',
    20: NPI,
    25: '99214',
    26: '25',
  }),
  segment('FT1', {
    1: '2',
    4: '20240315',
    5: '20240315',
    6: 'CG',
    7: '83036^Hemoglobin A1c^CPT',
    10: '1',
    11: '38.50&USD',
    12: '38.50&USD',
    13: 'LAB',
    19: 'E11.9^Type 2 diabetes^I10',
    20: NPI,
    25: '83036',
  }),
  'DG1|1||E11.9^Type 2 diabetes mellitus without complications^I10|||F',
  'DG1|2||I10^Essential hypertension^I10|||F',
  segment('IN1', {
    1: '1',
    2: 'MCPPO^Medicare PPO',
    3: '60054^^^&2.16.840.1.113883.3.221.5&ISO^NIIP',
    4: 'Aetna Medicare',
    5: 'PO Box 981106^^El Paso^TX^79998^USA',
    8: 'GRP778899',
    9: 'Aetna Medicare PPO',
    12: '20240101',
    15: 'C1',
    16: "O'Neil^Kathleen^M",
    17: 'SEL',
    18: '19680412',
    36: 'W1234567801',
  }),
  'IN2||123456789',
  segment('GT1', { 1: '1', 3: "O'Neil^Kathleen^M", 5: ADDRESS_LINE, 6: '(217)555-0142' }),
].join('\r');

const INPUTS = [
  { name: 'corpus DFT^P03 (msconv-DFT-P03-01)', text: CORPUS_DFT },
  { name: 'clinic DFT^P03 (built here)', text: CLINIC_DFT },
];

// ---- readers -----------------------------------------------------------------------------------------

/** claimhub: the JSON view, read as a mapping reads it. Empty → "", the HL7 null → `""` (as written). */
function claimhubJson(text: string): string[] {
  const json = messageJson(parseHl7Message(text));
  const values: string[] = [];
  for (const { segment: id, fields } of MAPPED_FIELDS) {
    for (const found of (json[id] as SegmentJson[] | undefined) ?? []) {
      for (const { designator, keys } of fields) {
        for (const repetition of (found[designator] as RepetitionJson[] | undefined) ?? []) {
          for (const key of keys) {
            const value = repetition[key];
            values.push(value === null ? '""' : (value ?? ''));
          }
        }
      }
    }
  }
  return values;
}

/** node-hl7-client: segment lists, fields and repetitions through get() and forEach, values by toString(). */
function nodeHl7Client(text: string): string[] {
  const message = new Message({ text });
  const values: string[] = [];
  for (const { segment: id, fields } of MAPPED_FIELDS) {
    const segments = message.get(id);
    // A segment or field the message lacks comes back as an empty node whose forEach throws.
    if (segments.length === 0) continue;
    segments.forEach((found: HL7Node) => {
      for (const { number, paths } of fields) {
        const repetitions = found.get(String(number));
        if (repetitions.length === 0) continue;
        repetitions.forEach((repetition: HL7Node) => {
          // Component, then subcomponent: get('9.2') throws when the repetition has fewer than 9 components.
          for (const [component, subcomponent] of paths) {
            const node = repetition.get(component);
            values.push((subcomponent === undefined ? node : node.get(subcomponent)).toString());
          }
        });
      }
    });
  }
  return values;
}

/** The same text split eagerly into nested arrays, every piece read. */
function plainSplit(text: string): number {
  let total = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    for (const field of line.split('|')) {
      for (const repetition of field.split('~')) {
        for (const component of repetition.split('^')) {
          for (const subcomponent of component.split('&')) total += subcomponent.length;
        }
      }
    }
  }
  return total;
}

const totalLength = (values: string[]) => values.reduce((sum, value) => sum + value.length, 0);
const READERS = [
  { name: 'claimhub parse + messageJson', read: (text: string) => totalLength(claimhubJson(text)) },
  { name: 'node-hl7-client Message + get', read: (text: string) => totalLength(nodeHl7Client(text)) },
  { name: 'plain eager split, every piece', read: plainSplit },
];

// ---- measurement ------------------------------------------------------------------------------------

let sink = 0;

/** Calls per second of `read(text)` over `ms`. */
function rate(read: (text: string) => number, text: string, ms: number): number {
  const start = performance.now();
  const end = start + ms;
  let calls = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) sink += read(text);
    calls += 50;
  }
  return (calls * 1000) / (performance.now() - start);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (value: number) => Math.round(value).toLocaleString('en').padStart(7);

console.log(`HL7 v2 read as a DFT→Claim mapping reads it (median of ${ROUNDS} interleaved rounds, ${MEASURE_MS} ms a case)`);
console.log('fields read, in every occurrence of the segment and every repetition of the field (JSON view keys):');
for (const { segment: id, fields } of MAPPED_FIELDS) {
  console.log(`  ${id}  ${fields.map(({ number, keys }) => `${number}[${keys.join(' ')}]`).join(' ')}`);
}
for (const input of INPUTS) {
  const expected = claimhubJson(input.text);
  assert.deepEqual(nodeHl7Client(input.text), expected, `${input.name}: the readers disagree`);
  const kb = Buffer.byteLength(input.text) / 1024;
  for (const reader of READERS) rate(reader.read, input.text, WARM_UP_MS);
  const rates = READERS.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    READERS.forEach((reader, r) => rates[r].push(rate(reader.read, input.text, MEASURE_MS / ROUNDS)));
  }
  const [ours, peer] = rates.map(median);
  const nonEmpty = expected.filter((value) => value !== '').length;
  console.log(`\n${input.name}: ${kb.toFixed(1)} KB, ${expected.length} values read (${nonEmpty} non-empty), same from both readers`);
  READERS.forEach((reader, r) => {
    const perSecond = median(rates[r]);
    console.log(`  ${reader.name.padEnd(32)} ${format(perSecond)} msg/s  ${((perSecond * kb) / 1024).toFixed(1).padStart(5)} MB/s`);
  });
  console.log(`  claimhub / node-hl7-client        ${(ours / peer).toFixed(1)}×`);
}
if (sink < 0) console.log(sink);
