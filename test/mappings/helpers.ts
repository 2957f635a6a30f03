// Shared by the mapping tests: one translator over the shipped mappings, the acceptance bundle
// and variants of it changed in one place, and temporary mapping directories.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTranslator, type Translator } from '../../mappings/translate.js';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';

let shared: Promise<Translator> | undefined;

/** The shipped mappings, compiled once for all mapping tests. */
export function shippedTranslator(): Promise<Translator> {
  shared ??= createTranslator();
  return shared;
}

type Json = Record<string, any>;

export function acceptanceBundle(): Json {
  return JSON.parse(readFileSync(ACCEPTANCE_BUNDLE, 'utf8'));
}

/** The acceptance bundle as text, after `change` edited its Claim (and, optionally, the bundle). */
export function acceptanceVariant(change: (claim: Json, bundle: Json) => void): string {
  const bundle = acceptanceBundle();
  change(bundle.entry[0].resource, bundle);
  return JSON.stringify(bundle);
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/fhir/${name}`, import.meta.url), 'utf8');
}

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory with the given files (paths relative to it), removed when the run ends. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimhub-mappings-'));
  created.push(dir);
  for (const [path, text] of Object.entries(files)) writeFile(dir, path, text);
  return dir;
}

export function writeFile(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A minimal valid mapping file. */
export function mappingYaml(fields: { name?: string; version?: string; messageTypes?: string; output?: string; extra?: string } = {}): string {
  return [
    `name: ${fields.name ?? 'test-claim'}`,
    `version: "${fields.version ?? '1.0.0'}"`,
    'source:',
    '  format: fhir-r4',
    `  messageTypes: ${fields.messageTypes ?? '[Claim, Bundle]'}`,
    'target: Claim',
    fields.extra ?? '',
    `output: ${JSON.stringify(fields.output ?? "{ 'resourceType': 'Claim', 'claimNumber': identifier[0].value }")}`,
    '',
  ].join('\n');
}
