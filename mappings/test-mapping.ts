// `claimhub mappings test` / `POST /v1/mappings/{name}/test`: a named mapping on a sample, whatever
// the selection would pick; returns the output even when invalid, with every issue. No side effects.

import { checkCanonical } from '../canonical-model/validate.js';
import { ClaimhubError, ConfigError, UnsupportedMessageError, type Issue } from '../canonical-model/errors.js';
import { detectFormat } from '../connectors/detect.js';
import { inUnit, mapUnits } from './map-units.js';
import type { CompiledMapping } from './mapping-file.js';
import type { MappingRegistry } from './registry.js';
import { readMessage, type SourceMessage } from './sources/index.js';

export interface MappingTestResult {
  mapping?: string;
  ok: boolean;
  /** The stage that failed, when one did. */
  stage?: 'parse' | 'map' | 'validate';
  /** What the mapping produced, valid or not. */
  objects: unknown[];
  /** Blocking findings: mapping refusals and canonical validation errors. */
  issues: Issue[];
  /** Findings that do not block (e.g. an NPI check digit). */
  warnings: Issue[];
  /** Parse or evaluation failure. */
  error?: ReturnType<ClaimhubError['toJSON']>;
}

export async function testMapping(registry: MappingRegistry, name: string, raw: string, contentType?: string, text?: string): Promise<MappingTestResult> {
  const empty = { objects: [], issues: [], warnings: [] };
  let mapping: CompiledMapping | undefined;
  try {
    mapping = text === undefined ? registry.get(name) : registry.compileText(text, name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ...empty, ok: false, error: error.toJSON() };
  }
  if (!mapping) {
    const known = registry.list().map((m) => m.name).join(', ');
    return { ...empty, ok: false, error: new ConfigError(`no mapping is named ${name} (loaded: ${known})`).toJSON() };
  }
  let message: SourceMessage;
  try {
    message = readMessage(detectFormat(raw, contentType), raw, contentType);
  } catch (error) {
    if (!(error instanceof ClaimhubError)) throw error;
    return { ...empty, mapping: mapping.ref, ok: false, stage: 'parse', error: error.toJSON() };
  }
  if (message.format !== mapping.source.format) {
    const text = `${mapping.ref} reads ${mapping.source.format}, but the sample is ${message.format}`;
    return { ...empty, mapping: mapping.ref, ok: false, stage: 'map', error: new UnsupportedMessageError(text).toJSON() };
  }
  const mapped = await mapUnits(mapping, message, { source: 'mappings-test' });
  if (mapped.error) return { ...empty, mapping: mapping.ref, ok: false, stage: 'map', error: mapped.error.toJSON() };
  const many = mapped.objects.length > 1;
  const checks = mapped.objects.map(({ object, unit, index }) => {
    const { errors, warnings } = checkCanonical(object);
    return { errors: inUnit(errors, unit, index, many), warnings: inUnit(warnings, unit, index, many) };
  });
  const refusals = [...mapped.unsupported, ...mapped.refused];
  const issues = [...refusals, ...checks.flatMap((check) => check.errors)];
  return {
    mapping: mapping.ref,
    ok: issues.length === 0,
    stage: refusals.length > 0 ? 'map' : issues.length > 0 ? 'validate' : undefined,
    objects: mapped.objects.map(({ object }) => object),
    issues,
    warnings: checks.flatMap((check) => check.warnings),
  };
}

