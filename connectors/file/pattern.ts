// Which names in a pickup folder are files to take: the source's glob, minus names that say a
// writer is not done with them yet.

/** A glob of `*` (any run of characters) and `?` (one character) as an anchored RegExp. */
export function globPattern(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

// Uploaders that write under a temporary name and rename when done: hidden names (rsync, our own
// writers), `.tmp`, `.part` (curl, browsers, many MFT tools), `.filepart` (WinSCP).
const IN_PROGRESS = /^\.|\.(tmp|part|filepart)$/i;

/** True for names an uploader is still writing under (they are renamed when complete). */
export function isInProgressName(name: string): boolean {
  return IN_PROGRESS.test(name);
}
