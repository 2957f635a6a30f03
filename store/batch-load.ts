// Coalesces concurrent single-key reads into one `WHERE key = ANY($1)` query per tick, so a worker
// at concurrency 50 does one round trip where it would do fifty.
export class BatchLoader<K, V> {
  private pending = new Map<K, { resolve: (v: V[]) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;

  /** `load` returns every row for the given keys; `keyOf` says which key a row belongs to. */
  constructor(
    private readonly load: (keys: K[]) => Promise<V[]>,
    private readonly keyOf: (row: V) => K,
  ) {}

  /** All rows for one key (empty when there are none). */
  get(key: K): Promise<V[]> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    try {
      const rows = await this.load([...batch.keys()]);
      const byKey = new Map<K, V[]>();
      for (const row of rows) {
        const key = this.keyOf(row);
        const list = byKey.get(key);
        if (list) list.push(row);
        else byKey.set(key, [row]);
      }
      for (const [key, waiters] of batch) waiters.forEach((w) => w.resolve(byKey.get(key) ?? []));
    } catch (error) {
      for (const waiters of batch.values()) waiters.forEach((w) => w.reject(error));
    }
  }
}
