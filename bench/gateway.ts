// What gateway governance costs per request: the same cheap read (GET /v1/mappings) through the
// hub with an API key; with Redis rate limits on (a client and a route limit, both high enough never
// to refuse); with an OIDC JWT instead of a key (signature checked on every request); and an audited
// PHI read (GET /v1/messages/{id}: an audit row committed before each answer). The peer, in the same
// run: a bare Express app serving the same JSON behind one in-memory token check.
//   node --import tsx bench/gateway.ts   (BENCH_GATEWAY_SECONDS, BENCH_GATEWAY_CONNECTIONS)
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { clearRedisPrefix } from '../test/support/services.js';
import { startOidcProvider } from '../test/support/oidc-provider.js';
import { admin, REDIS_URL, ROOT, schemaUrl, startHubProcess, startProcess, stopHubProcess } from './hub-process.js';

const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 32);
const tag = Date.now().toString(36);
const KEY = `bench-gateway-key-${tag}`;

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(name: string, url: string, authorization: string): Promise<Figure> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: { authorization } }); // warm up
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { authorization } });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

async function main(): Promise<void> {
  const schema = `bench_gw_${tag}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'claimhub-bench-gw-'));
  const idp = await startOidcProvider();
  const children: ChildProcess[] = [];
  const figures: Figure[] = [];
  try {
    const config = join(dataDir, 'claimhub.config.yaml');
    await writeFile(
      config,
      [
        'auth:',
        '  oidc:',
        `    issuer: ${idp.issuer}`,
        '    audience: claimhub-api',
        'rateLimits:',
        '  perClient: { requests: 100000000, per: 60s }',
        '  routes:',
        '    "GET /v1/mappings": { requests: 100000000, per: 60s }',
      ].join('\n') + '\n',
    );
    const env = {
      DATABASE_URL: schemaUrl(schema),
      REDIS_URL,
      CLAIMHUB_PORT: '0',
      CLAIMHUB_MLLP_PORT: '0',
      CLAIMHUB_QUEUE_PREFIX: `benchgw${tag}`,
      CLAIMHUB_API_KEY: KEY,
      LOG_LEVEL: 'info',
    };
    const plain = await startHubProcess({ ...env, CLAIMHUB_DATA_DIR: join(dataDir, 'plain') });
    children.push(plain.child);
    const bearer = `Bearer ${KEY}`;
    const body = await (await fetch(`${plain.url}/v1/mappings`, { headers: { authorization: bearer } })).text();
    const bundle = await readFile(join(ROOT, 'test/fixtures/fhir/claim-bundle-professional.json'), 'utf8');
    const posted = (await (await fetch(`${plain.url}/v1/messages`, { method: 'POST', body: bundle, headers: { authorization: bearer, 'content-type': 'application/fhir+json' } })).json()) as { id: string };

    const peer = await startProcess(['bench/peers/bare-gateway.ts'], { PEER_KEY: KEY, PEER_BODY: body }, /listening (\d+)/);
    children.push(peer.child);
    figures.push(await measure('peer: bare Express, one token check', `http://127.0.0.1:${peer.match[1]}/v1/mappings`, bearer));
    await stopHubProcess(peer.child);

    figures.push(await measure('claimhub, API key', `${plain.url}/v1/mappings`, bearer));
    figures.push(await measure('claimhub, audited PHI read (GET /v1/messages/{id})', `${plain.url}/v1/messages/${posted.id}`, bearer));
    await stopHubProcess(plain.child);

    const limited = await startHubProcess({ ...env, CLAIMHUB_DATA_DIR: join(dataDir, 'limited'), CLAIMHUB_CONFIG: config });
    children.push(limited.child);
    figures.push(await measure('claimhub, API key + Redis rate limits', `${limited.url}/v1/mappings`, bearer));
    const token = await idp.mint({ sub: 'bench', aud: 'claimhub-api', roles: ['architect'] }, { expiresIn: 3600 });
    figures.push(await measure('claimhub, OIDC JWT (RS256) + rate limits', `${limited.url}/v1/mappings`, `Bearer ${token}`));
    await stopHubProcess(limited.child);
  } finally {
    await Promise.all(children.map((child) => stopHubProcess(child)));
    await idp.close();
    await clearRedisPrefix(`benchgw${tag}`);
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await rm(dataDir, { recursive: true, force: true });
  }
  const peer = figures[0];
  process.stdout.write(`\ngateway: ${CONNECTIONS} connections, ${SECONDS} s each\n`);
  for (const f of figures)
    process.stdout.write(
      `${f.name.padEnd(56)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50.toFixed(1).padStart(5)} ms  p99 ${f.p99.toFixed(1).padStart(6)} ms  ${(f.rps / peer.rps).toFixed(2)}× peer${f.non2xx ? `  (${f.non2xx} not 2xx)` : ''}\n`,
    );
}

await main();
