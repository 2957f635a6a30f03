// Queue views and pausing a destination, through the API and the command line of a running hub:
// a paused destination keeps what is routed to it (waiting, aging, nothing sent) and delivers it
// all once resumed; the dead-letter commands work the same failures the API does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { billingConfig, startBillingSystem, type BillingSystem } from './billing-system.js';
import { mappableDft } from './hl7-fixtures.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

interface QueueView {
  name: string;
  destination?: string;
  waiting: number;
  paused: boolean;
  oldestWaitingSeconds: number | null;
  delivered?: { lastMinute: number; lastHour: number };
}

describe('queues: views, pause and resume; the ops commands (postgres)', function () {
  this.timeout(120_000);
  let billing: BillingSystem;
  let t: TestHub;
  const claimhub = (...args: string[]) =>
    run(process.execPath, ['bin/claimhub.js', ...args], { cwd: ROOT, env: { ...process.env, CLAIMHUB_URL: t.url, CLAIMHUB_API_KEY: t.key, CLAIMHUB_CONFIG: '' } });
  const billingQueue = async () => ((await (await t.call('GET', '/v1/queues')).json()) as { queues: QueueView[] }).queues.find((q) => q.destination === 'billing')!;
  const statusOf = async (controlId: string) =>
    (await t.hub.store.db.query<{ status: string }>("SELECT status FROM messages WHERE control_ids->>'controlId' = $1", [controlId])).rows[0]?.status;
  const send = async (ids: string[]) => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port: t.hub.mllpPorts.mllp });
    try {
      for (const id of ids) await client.send(mappableDft(id));
    } finally {
      await client.close();
    }
  };

  before(async () => {
    billing = await startBillingSystem();
    t = await startTestHub('postgres', billingConfig(billing.port, 1));
  });
  after(async () => {
    await t?.stop();
    await billing?.close();
  });

  it('lists the ingest queue and one queue per destination, with deliveries counted from the store', async () => {
    await send(['Q-FIRST']);
    await eventually(async () => ((await statusOf('Q-FIRST')) === 'delivered' ? true : undefined), 30_000, 'Q-FIRST delivered');
    const { queues } = (await (await t.call('GET', '/v1/queues')).json()) as { queues: QueueView[] };
    assert.deepEqual(queues.map((q) => q.name), ['ingest', 'deliver.billing']);
    assert.equal(queues[1].delivered!.lastMinute, 1);
    assert.equal(queues[1].paused, false);
    assert.deepEqual((queues[1] as QueueView & { breaker?: { state: string } }).breaker?.state, 'closed');
  });

  it('pauses a destination from the command line: what is routed there waits, nothing is sent; resumed, it is all delivered once', async () => {
    const { stdout } = await claimhub('queues', 'pause', 'billing');
    assert.match(stdout, /billing paused/);
    const sentBefore = billing.received.length;
    await send(['Q-PAUSED-1', 'Q-PAUSED-2', 'Q-PAUSED-3']);
    const paused = await eventually(async () => {
      const view = await billingQueue();
      return view.waiting === 3 ? view : undefined;
    }, 20_000, 'three waiting');
    assert.equal(paused.paused, true);
    assert.notEqual(paused.oldestWaitingSeconds, null);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(billing.received.length, sentBefore, 'nothing sent while paused');
    assert.equal(await statusOf('Q-PAUSED-1'), 'routed');
    const listed = (await claimhub('queues')).stdout;
    assert.match(listed, /deliver\.billing\t3\t.*\tpaused/);
    await claimhub('queues', 'resume', 'billing');
    for (const id of ['Q-PAUSED-1', 'Q-PAUSED-2', 'Q-PAUSED-3']) await eventually(async () => ((await statusOf(id)) === 'delivered' ? true : undefined), 30_000, `${id} delivered`);
    assert.equal(billing.received.length - sentBefore, 3);
    const { rows } = await t.hub.store.db.query<{ action: string }>("SELECT action FROM audit_log WHERE resource = 'destination/billing' ORDER BY id");
    assert.deepEqual(rows.map((r) => r.action), ['queue.pause', 'queue.resume']);
  });

  it('works dead letters from the command line: list, replay-all with progress, discard needs a reason', async () => {
    billing.script.push('AE', 'AE', 'AE');
    await send(['Q-DL-1', 'Q-DL-2', 'Q-DL-3']);
    for (const id of ['Q-DL-1', 'Q-DL-2', 'Q-DL-3']) await eventually(async () => ((await statusOf(id)) === 'dead-lettered' ? true : undefined), 30_000, `${id} dead-lettered`);
    const listed = (await claimhub('dead-letters', 'list', '--destination', 'billing')).stdout.trim().split('\n');
    assert.equal(listed.length, 4, listed.join('\n'));
    assert.match(listed[0], /deliver {2}billing {2}delivery {2}mllp {2}DFT\^P03 {2}MLLP .* refused .* with AE/);
    const [discardId] = listed[0].split('  ');
    await assert.rejects(claimhub('dead-letters', 'discard', discardId), /required option '--reason <text>'/);
    assert.match((await claimhub('dead-letters', 'discard', discardId, '--reason', 'billed by hand')).stdout, /discarded/);
    assert.match((await claimhub('dead-letters', 'replay-all', '--destination', 'billing', '--dry-run')).stdout, /^2 open dead letters would be replayed/);
    const replayed = await claimhub('dead-letters', 'replay-all', '--destination', 'billing');
    assert.match(replayed.stdout, /succeeded: 2 replayed, 0 failed/);
    for (const id of ['Q-DL-2', 'Q-DL-3']) await eventually(async () => ((await statusOf(id)) === 'delivered' ? true : undefined), 30_000, `${id} delivered`);
    assert.equal(await statusOf('Q-DL-1'), 'discarded');
    await assert.rejects(claimhub('dead-letters', 'replay', discardId), /409 Dead letter already resolved/);
  });
});
