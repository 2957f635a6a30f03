// The structure reader under the names it had while it read 837 claims only, for the modules that
// import them from here. LOOP_DEFINITIONS keeps its meaning, the guides whose sets come out claim by
// claim; STRUCTURE_DEFINITIONS (loop-definitions.ts) has every guide the reader reads.
export { CLAIM_DEFINITIONS as LOOP_DEFINITIONS } from './loop-definitions.js';
export { StructureReader as ClaimStructureReader, type StructureHandlers as ClaimHandlers } from './structure-reader.js';
