// Charges in over MLLP, claims out over MLLP: a hub whose route sends every claim to a billing
// system's MLLP listener (a real socket on 127.0.0.1 that answers as told). The claim arrives as a
// DFT^P03 carrying its values; AR is retried under the same control id until AA; AE is a dead letter.
import assert from 'node:assert/strict';
import { readAcknowledgement } from '../../connectors/hl7v2/write/acknowledgement.js';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import { parseHl7Message } from '../../connectors/hl7v2/parse.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { billingConfig, startBillingSystem, type BillingSystem } from './billing-system.js';
import { mappableDft } from './hl7-fixtures.js';

describe('MLLP in, MLLP out (postgres)', function () {
  this.timeout(120_000);
  let billing: BillingSystem;
  let t: TestHub;
  const message = async (controlId: string) =>
    (
      await t.hub.store.db.query<{ id: string; status: string }>("SELECT id, status FROM messages WHERE control_ids->>'controlId' = $1", [controlId])
    ).rows[0];
  const sendCharges = async (controlId: string) => {
    const client = await MllpClient.connect({ host: '127.0.0.1', port: t.hub.mllpPorts.mllp });
    try {
      const ack = readAcknowledgement(await client.send(mappableDft(controlId)));
      assert.equal(ack.code, 'AA');
    } finally {
      await client.close();
    }
  };

  before(async () => {
    billing = await startBillingSystem();
    t = await startTestHub('postgres', billingConfig(billing.port));
  });
  after(async () => {
    await t?.stop();
    await billing?.close();
  });

  it('delivers the claim of a DFT received over MLLP to the billing system as a DFT^P03 with its values', async () => {
    await sendCharges('OUT-1');
    await eventually(async () => ((await message('OUT-1'))?.status === 'delivered' ? true : undefined), 30_000, 'OUT-1 delivered');
    assert.equal(billing.received.length, 1);
    const sent = parseHl7Message(billing.received[0].text);
    const field = (id: string, n: number) => sent.segments.filter((s) => s.id === id).map((s) => s.fields[n]);
    assert.equal(sent.header.messageType + '^' + sent.header.triggerEvent, 'DFT^P03');
    assert.equal(sent.header.sendingApplication.namespaceId, 'CLAIMHUB');
    assert.equal(sent.header.receivingApplication.namespaceId, 'BILLING');
    assert.match(field('PID', 3)[0], /^MRN004417\^/);
    assert.equal(field('FT1', 1).length, 3, 'one FT1 per service line');
    assert.deepEqual(field('DG1', 3).map((code) => code.split('^')[0]), ['J45.40', 'R05.9']);
  });

  it('retries AR under the same control id until AA, and delivers once', async () => {
    billing.script.push('AR', 'AR');
    const before = billing.received.length;
    await sendCharges('OUT-AR');
    await eventually(async () => ((await message('OUT-AR'))?.status === 'delivered' ? true : undefined), 30_000, 'OUT-AR delivered');
    const sent = billing.received.slice(before);
    assert.equal(sent.length, 3, 'two ARs, then the AA');
    assert.equal(new Set(sent.map((s) => s.controlId)).size, 1, 'every attempt under one MSH-10');
  });

  it('turns AE into a dead letter with the receiver’s ERR, after one attempt', async () => {
    billing.script.push('AE');
    const before = billing.received.length;
    await sendCharges('OUT-AE');
    await eventually(async () => ((await message('OUT-AE'))?.status === 'dead-lettered' ? true : undefined), 30_000, 'OUT-AE dead-lettered');
    assert.equal(billing.received.length - before, 1, 'AE is not retried');
    const { rows } = await t.hub.store.db.query<{ error_class: string; destination_id: string; error: { message: string } }>(
      "SELECT error_class, destination_id, error FROM dead_letters WHERE message_id = $1 AND status = 'open'",
      [(await message('OUT-AE')).id],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].error_class, 'delivery');
    assert.equal(rows[0].destination_id, 'billing');
    assert.match(rows[0].error.message, /patient not registered here/);
  });
});
