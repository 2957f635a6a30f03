// A hub as a separate process for the end-to-end benchmarks: its own PostgreSQL schema, Redis
// prefix and data dir, started with `claimhub start` and stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The benchmark database with `schema` first on the search path. */
export const schemaUrl = (schema: string) => `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/** Runs one statement on the benchmark database (CREATE/DROP SCHEMA). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Spawns `node --import tsx <args>`; resolves once its output matches `ready`. */
export function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of each child (node --cpu-prof) for `bench/profile-summary.ts`.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
}

/** `claimhub start` with `env` (LOG_LEVEL info or lower); resolves once it logs "claimhub is up", with its gateway URL. */
export async function startHubProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const { child, match } = await startProcess(['cli/main.ts', 'start'], env, /"url":"(http:\/\/[^"]+)".*claimhub is up/);
  return { child, url: match[1] };
}

export async function stopHubProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
