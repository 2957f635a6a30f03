// MLLP transport benchmark: messages/s through loopback connections with a trivial handler (no
// parse, no commit), and reply latency percentiles at fixed send rates. Server and clients share
// this process (one event loop), so the figures are a floor for the transport alone.
//   node --import tsx bench/mllp.ts        (MLLP_BENCH_SECONDS, default 3)
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { MllpClient } from '../connectors/hl7v2/mllp-client.js';
import { MllpServer } from '../connectors/hl7v2/mllp-server.js';

const SECONDS = Number(process.env.MLLP_BENCH_SECONDS ?? 3);
const HOST = '127.0.0.1';

/** A DFT^P03 of about 1 KB: the size of a typical charge message. */
const DFT = [
  'MSH|^~\\&|PM|CLINIC|CLAIMHUB|HUB|20240101120000||DFT^P03|BENCH0001|P|2.5',
  'EVN|P03|20240101120000',
  'PID|1||123456^^^MRN^MR||DOE^JANE^Q||19800101|F|||100 MAIN ST^^SPRINGFIELD^IL^62701||5555550100',
  'PV1|1|O|CLINIC^101^1||||1234567890^SMITH^JOHN^^^^MD|||||||||||V123456|||||||||||||||||||||||||20240101',
  'FT1|1|||20240101||CG|99213^OFFICE VISIT^CPT|||1|||||||||J06.9^ACUTE URI^I10||1234567890^SMITH^JOHN|||||99213',
  'FT1|2|||20240101||CG|87880^STREP TEST^CPT|||1|||||||||J02.9^PHARYNGITIS^I10||1234567890^SMITH^JOHN|||||87880',
  'DG1|1||J06.9^ACUTE UPPER RESPIRATORY INFECTION^I10||20240101|F',
  'DG1|2||J02.9^ACUTE PHARYNGITIS^I10||20240101|F',
  'IN1|1|BCBS01|987654|BLUE CROSS BLUE SHIELD|PO BOX 1000^^CHICAGO^IL^60601||8005550199|GRP123||||20230101|20241231|||DOE^JANE^Q|18|19800101',
  'GT1|1||DOE^JANE^Q||100 MAIN ST^^SPRINGFIELD^IL^62701|5555550100||19800101|F||18',
].join('\r');
const ACK = 'MSH|^~\\&|CLAIMHUB|HUB|PM|CLINIC|20240101120000||ACK^P03|ACK0001|P|2.5\rMSA|AA|BENCH0001\r';

async function withServer<T>(run: (port: number) => Promise<T>): Promise<T> {
  const server = new MllpServer({ port: 0, host: HOST, handler: async () => ACK, onError: () => ACK });
  const { port } = await server.listen();
  try {
    return await run(port);
  } finally {
    await server.close();
  }
}

/** Each connection keeps `window` messages outstanding for SECONDS; returns replies per second. */
async function throughput(connections: number, window: number): Promise<number> {
  return withServer(async (port) => {
    const clients = await Promise.all(Array.from({ length: connections }, () => MllpClient.connect({ host: HOST, port })));
    const until = performance.now() + SECONDS * 1000;
    let replies = 0;
    const started = performance.now();
    const sender = async (client: MllpClient) => {
      while (performance.now() < until) {
        await client.send(DFT);
        replies++;
      }
    };
    await Promise.all(clients.flatMap((client) => Array.from({ length: window }, () => sender(client))));
    const rate = replies / ((performance.now() - started) / 1000);
    await Promise.all(clients.map((client) => client.close()));
    return rate;
  });
}

/** Sends `rate` messages/s spread over `connections` for SECONDS; returns reply latency percentiles (ms). */
async function latencyAtRate(rate: number, connections: number): Promise<{ p50: number; p99: number; max: number }> {
  return withServer(async (port) => {
    const clients = await Promise.all(Array.from({ length: connections }, () => MllpClient.connect({ host: HOST, port })));
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const total = rate * SECONDS;
    const start = performance.now();
    for (let sent = 0; sent < total; sent++) {
      const due = start + (sent * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await delay(wait);
      const sentAt = performance.now();
      pending.push(clients[sent % connections].send(DFT).then(() => void latencies.push(performance.now() - sentAt)));
    }
    await Promise.all(pending);
    await Promise.all(clients.map((client) => client.close()));
    latencies.sort((a, b) => a - b);
    const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))];
    return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] };
  });
}

const round = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);

console.log(`MLLP loopback, ${Buffer.byteLength(DFT)}-byte DFT^P03, trivial handler, ${SECONDS} s per run`);
await throughput(1, 1); // warm-up
for (const [connections, window] of [
  [1, 1],
  [1, 50],
  [8, 1],
  [8, 50],
]) {
  console.log(`throughput  ${connections} connection(s) × ${window} outstanding: ${round(await throughput(connections, window))} msg/s`);
}
for (const [rate, connections] of [
  [500, 1],
  [500, 8],
  [2000, 8],
]) {
  const { p50, p99, max } = await latencyAtRate(rate, connections);
  console.log(`latency     ${rate} msg/s over ${connections} connection(s): p50 ${ms(p50)} ms, p99 ${ms(p99)} ms, max ${ms(max)} ms`);
}
