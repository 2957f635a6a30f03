// Shared by the HL7 v2 mapping tests: the fixtures, one-field edits of them, and the translation
// outcome as the user sees it (objects, or stage + error with its issues as "rule at path").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ClaimhubError } from '../../canonical-model/errors.js';
import type { Claim, PatientUpdate } from '../../canonical-model/types.js';
import type { Translation } from '../../mappings/translate.js';
import { shippedTranslator } from './helpers.js';

export function hl7Fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/hl7v2/${name}`, import.meta.url), 'utf8');
}

/**
 * The message with field `SEG-n` of the `occurrence`-th (from 1) segment `SEG` set to `value`
 * (undefined removes the segment). MSH is numbered as the standard does (MSH-1 is the separator).
 */
export function withField(text: string, designator: string, value: string | undefined, occurrence = 1): string {
  const [id, number] = designator.split('-');
  let seen = 0;
  const lines = text.split('\n').flatMap((line) => {
    if (!line.startsWith(`${id}|`) || ++seen !== occurrence) return [line];
    if (value === undefined && number === undefined) return [];
    const fields = line.split('|');
    const index = id === 'MSH' ? Number(number) - 1 : Number(number);
    while (fields.length <= index) fields.push('');
    fields[index] = value ?? '';
    return [fields.join('|')];
  });
  assert.ok(seen >= occurrence, `the message has no ${id} number ${occurrence}`);
  return lines.join('\n');
}

/** The message with `segment` inserted after the `occurrence`-th segment `after`. */
export function withSegment(text: string, after: string, segment: string, occurrence = 1): string {
  let seen = 0;
  return text.split('\n').flatMap((line) => (line.startsWith(`${after}|`) && ++seen === occurrence ? [line, segment] : [line])).join('\n');
}

export async function translateHl7(raw: string): Promise<Translation> {
  return (await shippedTranslator()).translate({ raw, source: 'test', messageId: 'm-1', receivedAt: '2026-03-02T10:15:02-06:00' });
}

export async function claims(raw: string): Promise<Claim[]> {
  const translation = await translateHl7(raw);
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  return translation.objects as Claim[];
}

export async function patientUpdate(raw: string): Promise<PatientUpdate> {
  const translation = await translateHl7(raw);
  assert.ok(translation.ok, translation.ok ? '' : `${translation.stage}: ${translation.error.message}`);
  assert.equal(translation.objects.length, 1);
  return translation.objects[0] as PatientUpdate;
}

export interface Refusal {
  stage: string;
  error: ClaimhubError;
  /** `rule at path` of every issue. */
  issues: string[];
}

export async function refusal(raw: string): Promise<Refusal> {
  const translation = await translateHl7(raw);
  assert.ok(!translation.ok, 'expected a refusal');
  return { stage: translation.stage, error: translation.error, issues: translation.error.issues.map((issue) => `${issue.rule} at ${issue.path}`) };
}

/** The one issue of a refusal with this rule: its path and message. */
export function issue(refused: Refusal, rule: string): { path: string; message: string } {
  const found = refused.error.issues.filter((i) => i.rule === rule);
  assert.equal(found.length, 1, `expected one ${rule} issue among:\n  ${refused.issues.join('\n  ')}`);
  return { path: found[0].path, message: found[0].message };
}
