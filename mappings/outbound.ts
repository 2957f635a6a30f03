// Outbound mappings: a destination's own view of a canonical object (an ERP's invoice JSON, a
// partner's flat record). A mapping file with `source.format: canonical`, `messageTypes` the
// resource types it takes (`Claim`…) and `target: external`; its input (`$`) is the canonical
// object, its output the document the destination sends. No canonical validation applies to the
// output: the receiver's own rules do. $refuse makes the delivery a dead letter that names why.
import { ClaimhubError, ConfigError, ValidationError } from '../canonical-model/errors.js';
import { runMapping } from './evaluate.js';
import { summary } from './map-units.js';
import type { MappingRegistry } from './registry.js';

export const OUTBOUND_FORMAT = 'canonical';

export type OutboundResult = { ok: true; document: unknown } | { ok: false; error: ClaimhubError };

/** The outbound mapping `name`, or a ConfigError naming what is wrong with it (for start-up checks). */
export function outboundMappingProblem(registry: MappingRegistry, name: string): string | undefined {
  const mapping = registry.get(name);
  if (!mapping) return `no mapping named "${name}"`;
  if (mapping.source.format !== OUTBOUND_FORMAT) return `mapping "${name}" reads ${mapping.source.format}, not canonical objects (source.format: canonical)`;
  return undefined;
}

export async function mapOutbound(registry: MappingRegistry, name: string, object: Record<string, unknown>): Promise<OutboundResult> {
  const problem = outboundMappingProblem(registry, name);
  if (problem) return { ok: false, error: new ConfigError(problem, [{ path: 'mapping', rule: 'outbound-mapping', message: problem }]) };
  const mapping = registry.get(name)!;
  const type = String(object.resourceType ?? '');
  if (!mapping.source.messageTypes.includes(type)) {
    const message = `mapping "${name}" takes ${mapping.source.messageTypes.join(', ')}, not ${type || 'this object'}`;
    return { ok: false, error: new ValidationError(message, [{ path: '$.resourceType', rule: 'outbound-type', message }]) };
  }
  try {
    const run = await runMapping(mapping, { input: object, path: '$', root: '$', label: type, controlNumbers: {}, bindings: {}, context: undefined });
    const refused = [...run.refusals.refused, ...run.refusals.unsupported];
    if (refused.length > 0) return { ok: false, error: new ValidationError(`${mapping.ref} refused it: ${summary(refused)}`, refused) };
    return { ok: true, document: run.objects.length === 1 ? run.objects[0] : run.objects };
  } catch (error) {
    if (error instanceof ClaimhubError) return { ok: false, error };
    throw error;
  }
}
