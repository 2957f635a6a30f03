// Tells when a file in a pickup folder is complete: its size and modification time have stayed the
// same across two listings at least `settleMs` apart. A writer that is still appending changes one
// of them; a name that reappears with other values starts its wait again.

export interface FolderEntry {
  name: string;
  size: number;
  /** Modification time in ms (whole seconds over SFTP). */
  mtimeMs: number;
}

interface Sighting {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
}

export class StabilityCheck {
  private readonly sightings = new Map<string, Sighting>();

  constructor(private readonly settleMs: number) {}

  /**
   * Records one listing taken at `now` and answers the entries that are complete. Names that are no
   * longer listed are forgotten.
   */
  observe(entries: FolderEntry[], now: number): { ready: FolderEntry[]; waiting: number } {
    const listed = new Set(entries.map((e) => e.name));
    for (const name of this.sightings.keys()) if (!listed.has(name)) this.sightings.delete(name);
    const ready: FolderEntry[] = [];
    for (const entry of entries) {
      const seen = this.sightings.get(entry.name);
      if (seen && seen.size === entry.size && seen.mtimeMs === entry.mtimeMs) {
        if (now - seen.since >= this.settleMs) ready.push(entry);
      } else {
        this.sightings.set(entry.name, { size: entry.size, mtimeMs: entry.mtimeMs, since: now });
      }
    }
    return { ready, waiting: entries.length - ready.length };
  }

  /** A taken file's name may come back as a new file: it waits again. */
  forget(name: string): void {
    this.sightings.delete(name);
  }
}
