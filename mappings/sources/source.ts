// What a format's front end hands the mapping engine: a parsed message cut into units (one per
// claim), each with its mapping input, its place in the message and its format helpers.

export interface MappingUnit {
  /** The mapping's input (`$`). */
  input: unknown;
  /** Where the unit sits in the message (`Claim`, `Bundle.entry[3].resource`). */
  path: string;
  /** The root name mapping refusal paths start with (`Claim` in `Claim.item[1].net`). */
  root: string;
  /** Names the unit in messages about a multi-claim message (`Claim 8612345`). */
  label: string;
  controlNumbers: Record<string, string>;
  /** Variables for this unit ($bundle, $modifierExtensions for FHIR). */
  bindings: Record<string, unknown>;
  /** What the format's per-evaluation helpers work on (FHIR: the reference index and the claim). */
  context: unknown;
  /**
   * The format's own way to name what $refuse points at (X12: segment position and line), or
   * undefined to fall back on the path of the element inside `input`.
   */
  locate?: (at: unknown) => string | undefined;
}

export interface SourceMessage {
  /** Mapping source format, e.g. `fhir-r4`. */
  format: string;
  /** What the mapping is selected by, e.g. `Claim` or `Bundle`. */
  messageType: string;
  controlNumbers: Record<string, string>;
  units: MappingUnit[];
}
