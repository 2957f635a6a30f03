// X12 read benchmark: claimhub's tokenizer + envelope reader against x12-parser (alone and with its
// grouper) and node-x12, on a generated 837P, each reader in its own process for a clean peak RSS.
//   node --import tsx bench/x12-read.ts        (X12_BENCH_MB, default 50; X12_BENCH_RUNS, default 3)
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readX12, streamX12 } from '../connectors/x12/read.js';
import { ClaimStructureReader } from '../connectors/x12/structure/claim-reader.js';
import { Tokenizer } from '../connectors/x12/tokenizer.js';
import { GS_837, ISA_837, set837 } from './x12-837-fixture.js';

const CHUNK = 64 * 1024;
/** node-x12 needs ~190 bytes of memory per input byte (LIBRARIES.md): it gets a 5 MB file. */
const NODE_X12_MB = 5;
/** 005010X222A1 recommends at most 5,000 claims (CLM) per transaction set; batches come that big. */
const CLAIMS_PER_SET = 5000;

interface Measure {
  reader: string;
  bytes: number;
  /** First pass over the file, and third (warm) pass: the figures compared. */
  coldMs: number;
  ms: number;
  maxRssMb: number;
  /** What the reader produced (segments, transaction sets, groups), to see they read the same input. */
  output: string;
}

// ---- input ---------------------------------------------------------------------------------

/** Writes an 837P of about `bytes`: one interchange, one group, sets of CLAIMS_PER_SET claims (1–6 lines each). */
function write837(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  const out = (segments: string[]) => writeSync(fd, segments.join('~\n') + '~\n');
  out([ISA_837, GS_837]);
  let written = 0;
  let sets = 0;
  while (written < bytes) {
    written += out(set837(++sets, (sets - 1) * CLAIMS_PER_SET, CLAIMS_PER_SET));
  }
  out([`GE*${sets}*1`, 'IEA*1*000000001']);
  closeSync(fd);
}

// ---- readers (run in a child process each) -------------------------------------------------------

async function claimhubStreaming(file: string): Promise<string> {
  let sets = 0;
  let segments = 0;
  let findings = 0;
  await streamX12(createReadStream(file, { highWaterMark: CHUNK }), {
    onSegment: () => segments++,
    onEvent: (event) => {
      if (event.kind === 'transaction-set-end') sets++;
      if (event.kind.endsWith('-end')) findings += event.findings.length;
    },
  });
  return `${segments} set segments, ${sets} sets, ${findings} findings`;
}

/** Tokenizer + envelope + loop tree: every claim handed on with its context as it ends, none kept. */
async function claimhubClaims(file: string): Promise<string> {
  let sets = 0;
  let claims = 0;
  let findings = 0;
  const reader = new ClaimStructureReader({
    onClaim: () => claims++,
    onEvent: (event) => {
      if (event.kind === 'transaction-set-end') sets++;
      if (event.kind.endsWith('-end')) findings += event.findings.length;
    },
  });
  await streamX12(createReadStream(file, { highWaterMark: CHUNK }), reader);
  return `${claims} claims, ${sets} sets, ${findings} findings`;
}

async function claimhubWholeSets(file: string): Promise<string> {
  let sets = 0;
  let segments = 0;
  let findings = 0;
  for await (const event of readX12(createReadStream(file, { highWaterMark: CHUNK }))) {
    if (event.kind === 'transaction-set') {
      sets++;
      segments += event.segments.length;
    }
    if (event.kind !== 'interchange-start' && event.kind !== 'group-start') findings += event.findings.length;
  }
  return `${segments} set segments, ${sets} sets, ${findings} findings`;
}

async function claimhubTokenizer(file: string): Promise<string> {
  let segments = 0;
  const tokenizer = new Tokenizer(() => segments++);
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) tokenizer.push(chunk as Buffer);
  tokenizer.end();
  return `${segments} segments`;
}

async function x12Parser(grouped: boolean): Promise<(file: string) => Promise<string>> {
  const { X12parser, X12grouper, Schema } = await import('x12-parser');
  // As its README advises, group on bounded loops: one object per 2000 HL loop, 2300/2400 inside.
  const schema = new Schema('005010X222A1', {
    start: 'HL',
    name: '2000',
    terminators: ['SE'],
    groups: [{ start: 'CLM', name: '2300', groups: [{ start: 'LX', name: '2400' }] }],
  });
  return async (file) => {
    let objects = 0;
    const parsed = createReadStream(file, { highWaterMark: CHUNK }).pipe(new X12parser());
    const output = grouped ? parsed.pipe(new X12grouper(schema)) : parsed;
    output.on('data', () => objects++);
    await new Promise<void>((resolve, reject) => {
      output.on('end', resolve);
      output.on('error', reject);
      parsed.on('error', reject);
    });
    return `${objects} ${grouped ? 'objects (HL loops and envelope segments)' : 'segments'}`;
  };
}

async function nodeX12(): Promise<(file: string) => Promise<string>> {
  const { X12Parser } = await import('node-x12');
  return async (file) => {
    const interchange = new X12Parser(true).parse(readFileSync(file, 'utf8'));
    const groups = 'functionalGroups' in interchange ? interchange.functionalGroups : [];
    const sets = groups.reduce((sum, group) => sum + group.transactions.length, 0);
    const segments = groups.reduce((sum, group) => sum + group.transactions.reduce((n, set) => n + set.segments.length, 0), 0);
    return `${segments} set segments (ST/SE excluded), ${sets} sets`;
  };
}

/** Each reader is loaded (its module imported) before anything is timed. */
const READERS: Record<string, () => Promise<(file: string) => Promise<string>>> = {
  'claimhub streaming (tokenizer + envelope)': async () => claimhubStreaming,
  'claimhub claims (tokenizer + envelope + loop tree)': async () => claimhubClaims,
  'claimhub whole sets (readX12)': async () => claimhubWholeSets,
  'claimhub tokenizer alone': async () => claimhubTokenizer,
  'x12-parser (X12parser)': () => x12Parser(false),
  'x12-parser (X12parser + X12grouper)': () => x12Parser(true),
  'node-x12 (X12Parser.parse string)': nodeX12,
  'node baseline (no reading)': async () => async () => '',
};

/** Reads the file three times: the first pass is a fresh worker's first file, the third a warmed-up one's. */
async function runChild(reader: string, file: string): Promise<void> {
  const read = await READERS[reader]();
  const timed = async () => {
    const started = process.hrtime.bigint();
    const output = await read(file);
    return { output, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };
  const cold = await timed();
  await timed();
  const warm = await timed();
  const measure: Measure = {
    reader,
    bytes: statSync(file).size,
    coldMs: cold.ms,
    ms: warm.ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    output: warm.output,
  };
  process.stdout.write(JSON.stringify(measure) + '\n');
}

// ---- driver ---------------------------------------------------------------------------------------

function measure(reader: string, file: string, runs: number): Measure {
  const results: Measure[] = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--reader', reader, file], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`${reader} failed (${child.status}):\n${child.stderr.slice(-2000)}`);
    results.push(JSON.parse(child.stdout.trim().split('\n').pop()!) as Measure);
  }
  // Median time; the highest peak RSS seen.
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  return { ...sorted[Math.floor(sorted.length / 2)], maxRssMb: Math.max(...results.map((r) => r.maxRssMb)) };
}

function mbPerSecond(m: Measure, ms = m.ms): number {
  return m.bytes / 1e6 / (ms / 1000);
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
}

async function main(): Promise<void> {
  const megabytes = Number(process.env.X12_BENCH_MB ?? 50);
  const runs = Number(process.env.X12_BENCH_RUNS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'claimhub-x12-bench-'));
  try {
    const big = join(dir, `837p-${megabytes}mb.edi`);
    const small = join(dir, `837p-${NODE_X12_MB}mb.edi`);
    write837(big, megabytes * 1e6);
    write837(small, NODE_X12_MB * 1e6);
    console.log(
      `837P inputs: ${(statSync(big).size / 1e6).toFixed(1)} MB and ${(statSync(small).size / 1e6).toFixed(1)} MB ('~' + newline terminated, ${CLAIMS_PER_SET} claims a set), ${CHUNK / 1024} KiB read chunks; median of ${runs} runs, each in a fresh process that reads the file three times (cold = 1st pass, warm = 3rd)\n`,
    );

    const ours = measure('claimhub streaming (tokenizer + envelope)', big, runs);
    const oursSmall = measure('claimhub streaming (tokenizer + envelope)', small, runs);
    const lines: Array<[Measure, Measure | null, string]> = [
      [ours, null, big],
      [measure('claimhub claims (tokenizer + envelope + loop tree)', big, runs), null, big],
      [measure('claimhub whole sets (readX12)', big, runs), null, big],
      [measure('claimhub tokenizer alone', big, runs), null, big],
      [measure('x12-parser (X12parser)', big, runs), ours, big],
      [measure('x12-parser (X12parser + X12grouper)', big, runs), ours, big],
      [oursSmall, null, small],
      [measure('node-x12 (X12Parser.parse string)', small, runs), oursSmall, small],
      [measure('node baseline (no reading)', small, 1), null, small],
    ];
    const widths = [50, 6, 10, 10, 12, 14];
    console.log(row(['reader', 'input', 'MB/s warm', 'MB/s cold', 'peak RSS MB', 'claimhub ×'], widths));
    for (const [m, reference, file] of lines) {
      const ratio =
        reference === null
          ? ''
          : `${(mbPerSecond(reference) / mbPerSecond(m)).toFixed(1)}× (${(mbPerSecond(reference, reference.coldMs) / mbPerSecond(m, m.coldMs)).toFixed(1)}×)`;
      const [warm, cold] = m.output === '' ? ['–', '–'] : [mbPerSecond(m).toFixed(1), mbPerSecond(m, m.coldMs).toFixed(1)];
      console.log(row([m.reader, `${(statSync(file).size / 1e6).toFixed(0)} MB`, warm, cold, m.maxRssMb.toFixed(0), ratio], widths));
    }
    console.log('\nwhat each produced:');
    for (const [m, , file] of lines)
      if (m.output !== '') console.log(`  ${m.reader} on ${(statSync(file).size / 1e6).toFixed(0)} MB: ${m.output}`);
    console.log(`\nclaimhub × = claimhub streaming MB/s ÷ the peer's on the same input, warm (cold)`);
    console.log('whole sets = readX12 holding every Segment of a set until its SE: memory follows the set size, not the file size');
    console.log('targets: claimhub ≥ 60 MB/s, ≥ 3× x12-parser + grouper, ≥ 10× node-x12, peak RSS ≤ 150 MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const readerArg = process.argv.indexOf('--reader');
if (readerArg !== -1) await runChild(process.argv[readerArg + 1], process.argv[readerArg + 2]);
else await main();
