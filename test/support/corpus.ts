// Paths to the shared sample corpus (public files nobody here wrote) beside the checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED = process.env.CLAIMHUB_SHARED_DIR ?? resolve(REPO, '../shared');
export const CORPUS = resolve(SHARED, 'corpus');
export const ACCEPTANCE_BUNDLE = resolve(SHARED, 'acceptance/fixtures/claim-bundle-professional.json');

if (!existsSync(CORPUS)) {
  throw new Error(`the shared corpus is missing at ${CORPUS}: check out ../shared beside the repository or set CLAIMHUB_SHARED_DIR`);
}
