// Micro-benchmark of the HL7 v2 parser on the corpus DFT^P03 (msconv-DFT-P03-01, 5.4 KB, 19
// segments, 2 FT1): parse + JSON view + reading every value in it, against a plain eager split
// (String.split into nested arrays at every level, every piece read; no escapes, header or checks)
// in the same run, the naive reader LIBRARIES.md quotes. node-hl7-client, the peer the issue names,
// is not a dependency of this repository, so it is not measured here.
//   usage: node --import tsx bench/hl7-parse.ts   (BENCH_MS: time per case, default 2000)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { messageJson } from '../connectors/hl7v2/message-json.js';
import { parseHl7Message } from '../connectors/hl7v2/parse.js';
import { CORPUS } from '../test/support/corpus.js';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 2000);
const WARM_UP_MS = 500;
const ROUNDS = 5;

const DFT = readFileSync(join(CORPUS, 'hl7v2/msconv-DFT-P03-01.hl7'), 'utf8');

/** Characters of every value reachable from `value`: what "reading every field" touches. */
function readEverything(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 0;
  let total = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) total += readEverything(child);
  return total;
}

function claimhub(text: string): number {
  return readEverything(messageJson(parseHl7Message(text)));
}

/** The same text split eagerly into nested arrays, every piece read. */
function plainSplit(text: string): number {
  let total = 0;
  for (const segment of text.split(/\r\n|\r|\n/)) {
    for (const field of segment.split('|')) {
      for (const repetition of field.split('~')) {
        for (const component of repetition.split('^')) {
          for (const subcomponent of component.split('&')) total += subcomponent.length;
        }
      }
    }
  }
  return total;
}

/** Messages per second: WARM_UP_MS of calls, then the median of ROUNDS rounds sharing MEASURE_MS. */
function messagesPerSecond(read: (text: string) => number): number {
  let sink = 0;
  const until = (ms: number) => {
    const end = performance.now() + ms;
    let calls = 0;
    while (performance.now() < end) {
      for (let i = 0; i < 100; i++) sink += read(DFT);
      calls += 100;
    }
    return calls;
  };
  until(WARM_UP_MS);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const calls = until(MEASURE_MS / ROUNDS);
    rates.push((calls * 1000) / (performance.now() - start));
  }
  if (sink < 0) console.log(sink);
  return rates.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

const ours = messagesPerSecond(claimhub);
const floor = messagesPerSecond(plainSplit);
const kb = DFT.length / 1024;
console.log(`HL7 v2 parse, DFT^P03 of ${kb.toFixed(1)} KB, every value read (median of ${ROUNDS} rounds)`);
console.log(`  claimhub parse + JSON view   ${Math.round(ours).toLocaleString('en')} msg/s  (${((ours * kb) / 1024).toFixed(1)} MB/s)`);
console.log(`  plain eager split            ${Math.round(floor).toLocaleString('en')} msg/s  (${((floor * kb) / 1024).toFixed(1)} MB/s)`);
console.log('  node-hl7-client              not installed in this repository: not measured');
