// The error a mapping function ($money, $crosswalk…) throws when it is called with what it
// cannot use; the evaluator turns it into a MappingError naming the mapping, key and position.

import { MappingError } from '../canonical-model/errors.js';

export class MappingFunctionError extends MappingError {}
