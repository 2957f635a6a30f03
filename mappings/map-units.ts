// Runs a mapping over every unit (claim) of a parsed message: stamps provenance on what it
// produces, and gathers refusals with paths rebased onto the message, named by claim when several.

import { MappingError, UnsupportedMessageError, ValidationError, type ClaimhubError, type Issue } from '../canonical-model/errors.js';
import { runMapping } from './evaluate.js';
import type { CompiledMapping } from './mapping-file.js';
import type { MappingUnit, SourceMessage } from './sources/index.js';

/** What provenance takes from the caller. */
export interface ProvenanceInput {
  source: string;
  messageId?: string;
  receivedAt?: string;
}

export interface MappedObject {
  object: Record<string, unknown>;
  unit: MappingUnit;
  /** Index among all objects of the message. */
  index: number;
}

export interface MappedUnits {
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
export async function mapUnits(mapping: CompiledMapping, message: SourceMessage, input: ProvenanceInput): Promise<MappedUnits> {
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

function provenance(mapping: CompiledMapping, message: SourceMessage, unit: MappingUnit, input: ProvenanceInput) {
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
export function inUnit(issues: Issue[], unit: MappingUnit, index: number, many: boolean): Issue[] {
  if (!many) return issues;
  return issues.map((issue) => ({
    ...issue,
    path: issue.path.startsWith('$') ? `$[${index}]${issue.path.slice(1)}` : `$[${index}].${issue.path}`,
    message: `${unit.label}: ${issue.message}`,
  }));
}

export function refusalError({ blocking, refusedAny }: MappedUnits): ClaimhubError | undefined {
  if (blocking.length === 0) return undefined;
  return refusedAny
    ? new ValidationError(`refused: ${summary(blocking)}`, blocking)
    : new UnsupportedMessageError(`not supported: ${summary(blocking)}`, blocking);
}

export function summary(issues: Issue[]): string {
  const [first] = issues;
  const lead = `${first.path}: ${first.message}`;
  return issues.length === 1 ? lead : `${lead} (and ${issues.length - 1} more)`;
}
