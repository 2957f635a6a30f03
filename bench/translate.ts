// Micro-benchmark of translate() on one thread (parse → mapping → validation), the part that
// bounds the hub's throughput: the acceptance bundle, every corpus R4 file that is a Claim or a
// Bundle holding one (refused ones too: refusing must be fast as well), and a peer measured in the
// same run — JSON.parse + the jsonata package evaluating a plain 40-field object constructor on
// that bundle: what a mapping costs at the least when jsonata itself evaluates it.
//   usage: node --import tsx bench/translate.ts   (BENCH_MS: time per case, default 1500)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { createTranslator } from '../mappings/translate.js';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../test/support/corpus.js';

const MEASURE_MS = Number(process.env.BENCH_MS ?? 1500);
/** Per case; the acceptance bundle and the peer warm the JIT up for longer (later cases run the same code). */
const WARM_UP_MS = 300;
const FIRST_WARM_UP_MS = 2000;
const ROUNDS = 5;

interface Case {
  name: string;
  raw: string;
  /** Claims in the message (what per-claim figures divide by). */
  claims: number;
}

/**
 * µs per call of `work`: `warmUpMs` of calls, then ROUNDS rounds sharing MEASURE_MS; the median
 * round, so a burst of other work on the machine moves one round rather than the figure.
 */
async function timePerCall(work: () => Promise<unknown>, warmUpMs = WARM_UP_MS): Promise<number> {
  for (const until = performance.now() + warmUpMs; performance.now() < until;) await work();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < MEASURE_MS / ROUNDS) {
      for (let i = 0; i < 20; i++) await work();
      calls += 20;
      now = performance.now();
    }
    rounds.push(((now - start) * 1000) / calls);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

function claimCount(raw: string): number {
  const root = JSON.parse(raw) as { resourceType?: string; entry?: { resource?: { resourceType?: string } }[] };
  if (root.resourceType === 'Claim') return 1;
  if (root.resourceType !== 'Bundle') return 0;
  return (root.entry ?? []).filter((entry) => entry.resource?.resourceType === 'Claim').length;
}

function corpusCases(): Case[] {
  const dir = join(CORPUS, 'fhir/r4-claims');
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      return { name: file.replace(/\.json$/, ''), raw, claims: claimCount(raw) };
    })
    .filter((c) => c.claims > 0);
}

/** 40 fields of the acceptance Claim by plain paths: no functions, no conditions, no lookups. */
const PEER_EXPRESSION = `entry[0].resource.{
  'f01': id, 'f02': identifier[0].value, 'f03': identifier[0].system, 'f04': status, 'f05': use,
  'f06': type.coding[0].code, 'f07': type.coding[0].system, 'f08': patient.reference, 'f09': billablePeriod.start,
  'f10': billablePeriod.end, 'f11': created, 'f12': provider.reference, 'f13': priority.coding[0].code,
  'f14': insurer.reference, 'f15': careTeam[0].sequence, 'f16': careTeam[0].provider.reference,
  'f17': careTeam[0].role.coding[0].code, 'f18': diagnosis[0].sequence, 'f19': diagnosis[0].diagnosisCodeableConcept.coding[0].code,
  'f20': diagnosis[0].diagnosisCodeableConcept.coding[0].system, 'f21': diagnosis[1].sequence,
  'f22': diagnosis[1].diagnosisCodeableConcept.coding[0].code, 'f23': insurance[0].sequence, 'f24': insurance[0].focal,
  'f25': insurance[0].coverage.reference, 'f26': item[0].sequence, 'f27': item[0].productOrService.coding[0].code,
  'f28': item[0].modifier[0].coding[0].code, 'f29': item[0].servicedDate, 'f30': item[0].quantity.value,
  'f31': item[0].unitPrice.value, 'f32': item[0].net.value, 'f33': item[1].sequence, 'f34': item[1].productOrService.coding[0].code,
  'f35': item[1].servicedDate, 'f36': item[1].quantity.value, 'f37': item[1].unitPrice.value, 'f38': item[1].net.value,
  'f39': total.value, 'f40': total.currency
}`;

function line(name: string, usPerMessage: number, claims: number, note = ''): string {
  const perClaim = usPerMessage / claims;
  const perSecond = Math.round(1e6 / perClaim)
    .toString()
    .padStart(7);
  return `${name.padEnd(58)} ${String(claims).padStart(2)}  ${perClaim.toFixed(1).padStart(8)} µs/claim  ${perSecond} claims/s${note}`;
}

const translator = await createTranslator();
const acceptance: Case = { name: 'acceptance bundle (claim-bundle-professional)', raw: readFileSync(ACCEPTANCE_BUNDLE, 'utf8'), claims: 1 };
const outcome = async (c: Case) => {
  const translation = await translator.translate({ raw: c.raw, source: 'bench' });
  return translation.ok ? 'ok' : `${translation.stage} ${translation.error.errorClass}`;
};

process.stdout.write(`translate() on one thread: median of ${ROUNDS} rounds over ${MEASURE_MS} ms per case, after a warm-up`);
process.stdout.write(` (${process.version})\n\n`);
process.stdout.write(`${'case'.padEnd(58)} claims\n`);
const acceptanceUs = await timePerCall(() => translator.translate({ raw: acceptance.raw, source: 'bench' }), FIRST_WARM_UP_MS);
process.stdout.write(`${line(acceptance.name, acceptanceUs, 1, `  (${await outcome(acceptance)})`)}\n`);

const peer = jsonata(PEER_EXPRESSION);
const peerUs = await timePerCall(() => peer.evaluate(JSON.parse(acceptance.raw)), FIRST_WARM_UP_MS);
process.stdout.write(`${line('peer: JSON.parse + jsonata 40-field object', peerUs, 1)}\n\ncorpus (fhir/r4-claims):\n`);

for (const c of corpusCases()) {
  const us = await timePerCall(() => translator.translate({ raw: c.raw, source: 'bench' }));
  process.stdout.write(`${line(`  ${c.name}`, us, c.claims, `  (${await outcome(c)})`)}\n`);
}
process.stdout.write(`\nacceptance bundle: ${acceptanceUs.toFixed(1)} µs per claim, ${(acceptanceUs / peerUs).toFixed(2)}× the peer\n`);
