// Paths to the shared sample corpus (public files nobody here wrote). It lives beside the checkout
// (../shared); a clone made elsewhere finds it beside the repository it was cloned from.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function originDir(): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: REPO, encoding: 'utf8' }).trim();
    return url.startsWith('/') || url.startsWith('file://') ? url.replace(/^file:\/\//, '') : undefined;
  } catch {
    return undefined;
  }
}

function findShared(): string {
  const origin = originDir();
  const candidates = [process.env.CLAIMHUB_SHARED_DIR, resolve(REPO, '../shared'), origin && resolve(origin, '../shared')].filter(
    (c): c is string => Boolean(c),
  );
  const found = candidates.find((c) => existsSync(resolve(c, 'corpus')));
  if (!found) {
    throw new Error(
      `the shared corpus is missing (looked in ${candidates.join(', ')}): check out ../shared beside the repository or set CLAIMHUB_SHARED_DIR`,
    );
  }
  return found;
}

export const SHARED = findShared();
export const CORPUS = resolve(SHARED, 'corpus');
export const ACCEPTANCE_BUNDLE = resolve(REPO, 'test/fixtures/fhir/claim-bundle-professional.json');
