// The pure translation pipeline the gateway (inline) and the ingest worker share:
// detect → parse → pick mapping → evaluate per claim → stamp provenance → validate. Bad input
// never throws: it comes back as { ok: false, stage, error } with the place of every problem.

import { validateCanonical } from '../canonical-model/validate.js';
import { ClaimhubError, UnsupportedMessageError, ValidationError, type ConfigError } from '../canonical-model/errors.js';
import type { CanonicalResource } from '../canonical-model/types.js';
import { detectFormat } from '../connectors/detect.js';
import { inUnit, mapUnits, refusalError, summary } from './map-units.js';
import type { CompiledMapping, MappingInfo } from './mapping-file.js';
import { MappingRegistry, SHIPPED_MAPPINGS_DIR, type StoredMapping } from './registry.js';
import { mapOutbound, outboundMappingProblem, type OutboundResult } from './outbound.js';
import { readMessage, type SourceMessage } from './sources/index.js';
import { testMapping, type MappingTestResult } from './test-mapping.js';

export type { MappingInfo } from './mapping-file.js';
export type { StoredMapping } from './registry.js';
export type { MappingTestResult } from './test-mapping.js';

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
} & ({ ok: true; objects: CanonicalResource[] } | { ok: false; stage: 'parse' | 'map' | 'validate'; error: ClaimhubError });

/**
 * What can be told of a message without running its mapping: it parses, and a mapping takes its
 * type. A channel that acknowledges on commit checks this much before answering.
 */
export type Check =
  | { ok: true; format: string; messageType: string; controlNumbers: Record<string, string>; mapping: string }
  | (Translation & { ok: false });

export interface Translator {
  translate(input: TranslateInput): Promise<Translation>;
  /** A destination's outbound mapping (source.format canonical) applied to one canonical object. */
  mapOutbound(name: string, object: Record<string, unknown>): Promise<OutboundResult>;
  /** Why `name` cannot serve as an outbound mapping, or undefined when it can. */
  outboundProblem(name: string): string | undefined;
  /** Parses `raw` and picks its mapping, on the calling thread (tens of µs): see Check. */
  check(input: Pick<TranslateInput, 'raw' | 'contentType'>): Check;
  /**
   * Runs the named mapping on `raw` regardless of selection; no side effects. With `text`, runs that
   * version of it instead (a stored version not active yet).
   */
  testMapping(name: string, raw: string, contentType?: string, text?: string): Promise<MappingTestResult>;
  mappings(): MappingInfo[];
  /** The text (YAML) of the mapping of `name` that runs. */
  mappingText(name: string): string | undefined;
  /** The mapping of `name` the files alone would run. */
  fileMapping(name: string): (MappingInfo & { text: string }) | undefined;
  /** Compiles a mapping version sent as text, as a stored version would be; throws a ConfigError. */
  compileText(text: string, label?: string): MappingInfo;
  /** Runs `releases` as the stored layer above the files (see MappingRegistry.useStored); returns errors. */
  useStored(releases: readonly StoredMapping[]): ConfigError[];
  /** What useStored would refuse, without applying it. */
  checkStored(releases: readonly StoredMapping[]): ConfigError[];
  /** Hot reload (see MappingRegistry.watch); returns a function that stops watching. */
  watch(onError: (error: ConfigError) => void, onReload?: (mappings: MappingInfo[]) => void): () => void;
}

export interface TranslatorOptions {
  /** Installation mapping directories, after the shipped one (a later one overrides by name). */
  mappingDirs?: string[];
  /** Stored versions to run above the files from the start. */
  stored?: readonly StoredMapping[];
}

export async function createTranslator(options: TranslatorOptions = {}): Promise<Translator> {
  const registry = MappingRegistry.load([SHIPPED_MAPPINGS_DIR, ...(options.mappingDirs ?? [])]);
  if (options.stored?.length) {
    const [error] = registry.useStored(options.stored);
    if (error) throw error;
  }
  const info = ({ name, version, description, source, target, checksum, path, origin, text }: CompiledMapping) =>
    ({ name, version, description, source, target, checksum, path, origin, text });
  return {
    translate: (input) => translate(registry, input),
    check: (input) => check(registry, input).check,
    mapOutbound: (name, object) => mapOutbound(registry, name, object),
    outboundProblem: (name) => outboundMappingProblem(registry, name),
    testMapping: (name, raw, contentType, text) => testMapping(registry, name, raw, contentType, text),
    mappings: () => registry.list(),
    mappingText: (name) => registry.get(name)?.text,
    fileMapping: (name) => {
      const file = registry.fileMapping(name);
      return file && info(file);
    },
    compileText: (text, label) => info(registry.compileText(text, label)),
    useStored: (releases) => registry.useStored(releases),
    checkStored: (releases) => registry.checkStored(releases),
    watch: (onError, onReload) => registry.watch(onError, onReload),
  };
}

function check(registry: MappingRegistry, input: Pick<TranslateInput, 'raw' | 'contentType'>): { check: Check; message?: SourceMessage; mapping?: CompiledMapping } {
  const wire = detectFormat(input.raw, input.contentType);
  let message: SourceMessage;
  try {
    message = readMessage(wire, input.raw, input.contentType);
  } catch (error) {
    if (!(error instanceof ClaimhubError)) throw error;
    return { check: { format: wire === 'unknown' ? undefined : wire, controlNumbers: {}, ok: false, stage: 'parse', error } };
  }
  const base = { format: message.format, messageType: message.messageType, controlNumbers: message.controlNumbers };
  const mapping = registry.select(message.format, message.messageType);
  if (!mapping) {
    const text = `no mapping translates ${message.format} ${message.messageType}`;
    return { check: { ...base, ok: false, stage: 'map', error: new UnsupportedMessageError(text, [{ path: '$', rule: 'no-mapping', message: text }]) } };
  }
  return { check: { ...base, ok: true, mapping: mapping.ref }, message, mapping };
}

async function translate(registry: MappingRegistry, input: TranslateInput): Promise<Translation> {
  const { check: checked, message, mapping } = check(registry, input);
  if (!checked.ok) return checked;
  if (!message || !mapping) throw new Error('unreachable: a passed check carries its message and mapping');
  const withMapping = { format: checked.format, messageType: checked.messageType, controlNumbers: checked.controlNumbers, mapping: checked.mapping };
  const mapped = await mapUnits(mapping, message, input);
  if (mapped.error) return { ...withMapping, ok: false, stage: 'map', error: mapped.error };
  const refusal = refusalError(mapped);
  if (refusal) return { ...withMapping, ok: false, stage: 'map', error: refusal };
  const issues = mapped.objects.flatMap(({ object, unit, index }) =>
    inUnit(validateCanonical(object), unit, index, mapped.objects.length > 1));
  if (issues.length > 0) {
    const what = mapping.target === 'Claim' ? 'claim' : mapping.target;
    return { ...withMapping, ok: false, stage: 'validate', error: new ValidationError(`the canonical ${what} is invalid: ${summary(issues)}`, issues) };
  }
  return { ...withMapping, ok: true, objects: mapped.objects.map(({ object }) => object as unknown as CanonicalResource) };
}
