// Canonical prior authorization requests → one 278 interchange: one HI group (005010X217), one
// transaction set per request. Nothing is written unless every request can be.
import { ValidationError } from '../../../canonical-model/errors.js';
import type { PriorAuthorization } from '../../../canonical-model/types.js';
import { writeInterchange, type InterchangeWriteOptions, type WrittenInterchange } from './interchange.js';
import { body278, request278, type Request278 } from './prior-authorization-278.js';
import type { InterchangeProfile } from './profile.js';
import { DEFAULT_DELIMITERS } from './serialize.js';

export interface Write278Options extends InterchangeWriteOptions {
  profile: InterchangeProfile;
}

/**
 * Writes `requests` as one interchange. Throws ValidationError listing every issue (paths `$[i]…`)
 * when any request cannot be written, ConfigError when the profile or options cannot be. Each
 * written set's `items` is the index of its request.
 */
export async function write278(requests: readonly PriorAuthorization[], options: Write278Options): Promise<WrittenInterchange> {
  if (requests.length === 0)
    throw new ValidationError('no requests to write', [{ path: '$', rule: 'required', message: 'a 278 needs at least one request' }]);
  const results = requests.map((request) => request278(request, options.delimiters ?? DEFAULT_DELIMITERS));
  const issues = results.flatMap((result, i) => result.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^\$/, `$[${i}]`) })));
  const refused = results.filter((result) => result.parts === null).length;
  if (refused > 0) throw new ValidationError(`${refused} of ${requests.length} requests cannot be written as a 278`, issues);
  const now = options.now ?? new Date();
  return writeInterchange(
    options.profile,
    [
      {
        functionalIdentifier: 'HI',
        version: '005010X217',
        transactionSet: '278',
        transactionSets: results.map((result, i) => ({ items: [i], body: () => body278(result.parts as Request278, now) })),
      },
    ],
    { ...options, now },
  );
}
