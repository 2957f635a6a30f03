// The pure translation pipeline the gateway (inline) and the ingest worker share:
// detect → parse → pick mapping → evaluate per claim → stamp provenance → validate. Bad input
// never throws: it comes back as { ok: false, stage, error } with the place of every problem.

import { checkCanonical, validateCanonical } from '../canonical-model/validate.js';
import {
  ClaimhubError, ConfigError, MappingError, UnsupportedMessageError, ValidationError, type Issue,
} from '../canonical-model/errors.js';
import type { Claim } from '../canonical-model/types.js';
import { detectFormat } from '../connectors/detect.js';
import { runMapping } from './evaluate.js';
import type { CompiledMapping, MappingInfo } from './mapping-file.js';
import { MappingRegistry, SHIPPED_MAPPINGS_DIR } from './registry.js';
import { readMessage, type MappingUnit, type SourceMessage } from './sources/index.js';

export type { MappingInfo } from './mapping-file.js';

export interface TranslateInput {
  raw: string;
  contentType?: string;
  /** Source system id (inbound connector or API client): provenance.source. */
  source: string;
  messageId?: string;
  receivedAt?: string;
}

export type Translation = {
  /** Mapping source format once parsed (`fhir-r4`); before that, the detected wire format. */
  format?: string;
  messageType?: string;
  controlNumbers: Record<string, string>;
  /** `name@version` of the mapping used. */
  mapping?: string;
} & ({ ok: true; objects: Claim[] } | { ok: false; stage: 'parse' | 'map' | 'validate'; error: ClaimhubError });

/** `claimhub mappings test` / `POST /v1/mappings/{name}/test`: everything, nothing stored. */
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

export interface Translator {
  translate(input: TranslateInput): Promise<Translation>;
  /** Runs the named mapping on `raw` regardless of selection; no side effects. */
  testMapping(name: string, raw: string, contentType?: string): Promise<MappingTestResult>;
  mappings(): MappingInfo[];
  /** Hot reload (see MappingRegistry.watch); returns a function that stops watching. */
  watch(onError: (error: ConfigError) => void, onReload?: (mappings: MappingInfo[]) => void): () => void;
}

export interface TranslatorOptions {
  /** Installation mapping directories, after the shipped one (a later one overrides by name). */
  mappingDirs?: string[];
}

export async function createTranslator(options: TranslatorOptions = {}): Promise<Translator> {
  const registry = MappingRegistry.load([SHIPPED_MAPPINGS_DIR, ...(options.mappingDirs ?? [])]);
  return {
    translate: (input) => translate(registry, input),
    testMapping: (name, raw, contentType) => testMapping(registry, name, raw, contentType),
    mappings: () => registry.list(),
    watch: (onError, onReload) => registry.watch(onError, onReload),
  };
}

async function translate(registry: MappingRegistry, input: TranslateInput): Promise<Translation> {
  const wire = detectFormat(input.raw, input.contentType);
  let message: SourceMessage;
  try {
    message = readMessage(wire, input.raw, input.contentType);
  } catch (error) {
    if (!(error instanceof ClaimhubError)) throw error;
    return { format: wire === 'unknown' ? undefined : wire, controlNumbers: {}, ok: false, stage: 'parse', error };
  }
  const base = { format: message.format, messageType: message.messageType, controlNumbers: message.controlNumbers };
  const mapping = registry.select(message.format, message.messageType);
  if (!mapping) {
    const text = `no mapping translates ${message.format} ${message.messageType}`;
    return { ...base, ok: false, stage: 'map', error: new UnsupportedMessageError(text, [{ path: '$', rule: 'no-mapping', message: text }]) };
  }
  const withMapping = { ...base, mapping: mapping.ref };
  const mapped = await mapUnits(mapping, message, input);
  if (mapped.error) return { ...withMapping, ok: false, stage: 'map', error: mapped.error };
  const refusal = refusalError(mapped);
  if (refusal) return { ...withMapping, ok: false, stage: 'map', error: refusal };
  const issues = mapped.objects.flatMap(({ object, unit, index }) =>
    inUnit(validateCanonical(object), unit, index, mapped.objects.length > 1));
  if (issues.length > 0) {
    return { ...withMapping, ok: false, stage: 'validate', error: new ValidationError(`the canonical claim is invalid: ${summary(issues)}`, issues) };
  }
  return { ...withMapping, ok: true, objects: mapped.objects.map(({ object }) => object as unknown as Claim) };
}

async function testMapping(registry: MappingRegistry, name: string, raw: string, contentType?: string): Promise<MappingTestResult> {
  const mapping = registry.get(name);
  const empty = { objects: [], issues: [], warnings: [] };
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

interface MappedObject {
  object: Record<string, unknown>;
  unit: MappingUnit;
  /** Index among all objects of the message. */
  index: number;
}

interface MappedUnits {
  objects: MappedObject[];
  /** Every $refuse / $unsupported finding, of every unit. */
  refused: Issue[];
  unsupported: Issue[];
  /**
   * What blocks the translation: per unit, its unsupported findings when it has any (what
   * claimhub does not take at all makes that unit's other refusals moot), else its refusals.
   */
  blocking: Issue[];
  /** Whether a unit is blocked by refusals (not only by unsupported content). */
  refusedAny: boolean;
  error?: MappingError;
}

/** Evaluates the mapping on every unit; collects refusals from all of them, stops at the first failure. */
async function mapUnits(mapping: CompiledMapping, message: SourceMessage, input: Omit<TranslateInput, 'raw'>): Promise<MappedUnits> {
  const many = message.units.length > 1;
  const result: MappedUnits = { objects: [], refused: [], unsupported: [], blocking: [], refusedAny: false };
  for (const unit of message.units) {
    let run;
    try {
      run = await runMapping(mapping, unit);
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      result.error = many ? new MappingError(`${unit.label} (${unit.path}): ${error.message}`, error.issues, { cause: error }) : error;
      return result;
    }
    const refused = inSource(run.refusals.refused, unit, many);
    const unsupported = inSource(run.refusals.unsupported, unit, many);
    result.refused.push(...refused);
    result.unsupported.push(...unsupported);
    result.blocking.push(...(unsupported.length > 0 ? unsupported : refused));
    if (unsupported.length === 0 && refused.length > 0) result.refusedAny = true;
    for (const object of run.objects) {
      object.provenance = provenance(mapping, message, unit, input);
      result.objects.push({ object, unit, index: result.objects.length });
    }
  }
  return result;
}

function provenance(mapping: CompiledMapping, message: SourceMessage, unit: MappingUnit, input: Omit<TranslateInput, 'raw'>) {
  const stamp: Record<string, unknown> = { source: input.source, format: message.format };
  if (input.messageId !== undefined) stamp.messageId = input.messageId;
  stamp.controlNumbers = unit.controlNumbers;
  stamp.mapping = mapping.ref;
  if (input.receivedAt !== undefined) stamp.receivedAt = input.receivedAt;
  return stamp;
}

/** Refusal paths start at the unit's root (`Claim.item[1]`): rebase them onto its place in the message. */
function inSource(issues: Issue[], unit: MappingUnit, many: boolean): Issue[] {
  return issues.map((issue) => ({
    ...issue,
    path: unit.path !== unit.root && (issue.path === unit.root || issue.path.startsWith(`${unit.root}.`))
      ? `${unit.path}${issue.path.slice(unit.root.length)}`
      : issue.path,
    message: many ? `${unit.label}: ${issue.message}` : issue.message,
  }));
}

/** Canonical paths (`$.serviceLines[0]`) of the index-th object of a multi-object message become `$[index]…`. */
function inUnit(issues: Issue[], unit: MappingUnit, index: number, many: boolean): Issue[] {
  if (!many) return issues;
  return issues.map((issue) => ({
    ...issue,
    path: issue.path.startsWith('$') ? `$[${index}]${issue.path.slice(1)}` : `$[${index}].${issue.path}`,
    message: `${unit.label}: ${issue.message}`,
  }));
}

function refusalError({ blocking, refusedAny }: MappedUnits): ClaimhubError | undefined {
  if (blocking.length === 0) return undefined;
  return refusedAny
    ? new ValidationError(`refused: ${summary(blocking)}`, blocking)
    : new UnsupportedMessageError(`not supported: ${summary(blocking)}`, blocking);
}

function summary(issues: Issue[]): string {
  const [first] = issues;
  const lead = `${first.path}: ${first.message}`;
  return issues.length === 1 ? lead : `${lead} (and ${issues.length - 1} more)`;
}
