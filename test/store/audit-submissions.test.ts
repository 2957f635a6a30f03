// Every stored submission leaves one `message.receive` audit record, written in the transaction that
// stores it: from MLLP, HTTP and file drops at once the chain stays whole, each record names a stored
// message and no PHI; a refused message that is stored is recorded with its status, a duplicate
// stores nothing and records nothing, and an API submitter is recorded as given.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { messageAcknowledger } from '../../connectors/acknowledger.js';
import { MllpClient } from '../../connectors/hl7v2/mllp-client.js';
import { createTranslator } from '../../mappings/translate.js';
import { Intake } from '../../routes/intake.js';
import { connectRedis, Queues } from '../../routes/queues.js';
import { DEFAULT_RETRY_POLICY } from '../../routes/retry-policy.js';
import { Router } from '../../routes/router.js';
import { verifyAuditChain } from '../../store/audit.js';
import { ACCEPTANCE_BUNDLE, CORPUS } from '../support/corpus.js';
import { eventually } from '../support/eventually.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { REDIS_URL, STORE_KINDS } from '../support/services.js';
import { mappableDft } from '../hub/hl7-fixtures.js';

const CONFIG = `sources:
  - { id: ehr, type: mllp, port: 0 }
  - { id: drop, type: file, dir: ./inbox, every: 200ms, settle: 500ms }
`;
const AMBULANCE_837P = join(CORPUS, 'x12/837p/stupidedi-837p-ambulance.edi');
/** Names, member ids, record numbers and birth dates of the patients in the messages sent (HL7 v2, FHIR, X12). */
const PHI = [
  ...['OKAFOR', 'ADAEZE', 'XOF884129301', 'MRN004417', '512440193', '19840719'],
  ...['Nakamura', 'MRN-207734', 'FRH207734-01', '1979-08-30'],
  ...['JONES', 'SARAH', '012345678A', '19630729'],
];

interface ReceiveRecord {
  id: number;
  actor: string;
  role: string | null;
  client: string | null;
  resource: string;
  outcome: string;
  request_id: string | null;
  source_ip: string | null;
  detail: { source: string; format: string | null; messageType: string | null; status: string; parts?: number };
}

for (const kind of STORE_KINDS) {
  describe(`audit records of submissions (${kind})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let bundle: string;
    const receiveRecords = async () =>
      (await t.hub.store.db.query<ReceiveRecord>(`SELECT * FROM audit_log WHERE action = 'message.receive' ORDER BY id`)).rows;
    const recordOf = async (messageId: string) => (await receiveRecords()).filter((r) => r.resource === `message/${messageId}`);
    const storedMessages = async (source: string, controlId: string) =>
      (
        await t.hub.store.db.query<{ id: string; status: string }>(
          `SELECT id, status FROM messages WHERE source = $1 AND control_ids->>'controlId' = $2 ORDER BY received_at`,
          [source, controlId],
        )
      ).rows;
    const sendMllp = async (payloads: string[]) => {
      const client = await MllpClient.connect({ host: '127.0.0.1', port: t.hub.mllpPorts.ehr });
      try {
        const acks: string[] = [];
        for (const payload of payloads) acks.push((await client.send(payload)).toString());
        return acks;
      } finally {
        await client.close();
      }
    };
    const postBundle = (claimNumber: string) =>
      t.call('POST', '/v1/messages', bundle.replace('ACC-5520-01', claimNumber), { 'content-type': 'application/fhir+json' });

    before(async () => {
      t = await startTestHub(kind, CONFIG);
      bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    });
    after(async () => t?.stop());

    it('records each message stored from MLLP, HTTP and file drops at once, in a chain that verifies, without PHI', async () => {
      const inbox = join(t.dataDir, 'inbox');
      const mllp = Promise.all(
        Array.from({ length: 4 }, (_, connection) => sendMllp(Array.from({ length: 10 }, (_, i) => mappableDft(`AUD-${connection}-${i}`)))),
      );
      const http = Promise.all(Array.from({ length: 8 }, (_, i) => postBundle(`AUD-HTTP-${i}`)));
      await writeFile(join(inbox, 'ambulance.837'), await readFile(AMBULANCE_837P, 'utf8'));
      await writeFile(join(inbox, 'claim.json'), bundle.replace('ACC-5520-01', 'AUD-FILE-1'));
      // Operator actions append to the same chain meanwhile, one record per transaction.
      const operator = (async () => {
        for (const action of ['pause', 'resume', 'pause', 'resume'])
          assert.equal((await t.call('POST', `/v1/queues/outbox/${action}`)).status, 200);
      })();
      const acks = (await mllp).flat();
      assert.ok(acks.every((ack) => /\rMSA\|AA\|/.test(ack)));
      assert.deepEqual(
        (await http).map((response) => response.status),
        Array(8).fill(202),
      );
      await operator;
      const stored = async () =>
        (
          await t.hub.store.db.query<{ id: string; source: string; status: string }>(
            'SELECT id, source, status FROM messages WHERE parent_id IS NULL',
          )
        ).rows;
      await eventually(
        async () => ((await stored()).filter((m) => m.source === 'drop').length === 2 ? true : undefined),
        20_000,
        'both files stored',
      );

      const messages = await stored();
      const records = await receiveRecords();
      assert.equal(messages.length, 4 * 10 + 8 + 2);
      assert.deepEqual(
        records.map((r) => r.resource).sort(),
        messages.map((m) => `message/${m.id}`).sort(),
        'one record per stored message, none for a part',
      );
      assert.ok(records.every((r) => r.outcome === 'success'));
      const fromEhr = records.filter((r) => r.detail.source === 'ehr');
      assert.equal(fromEhr.length, 40);
      for (const r of fromEhr) {
        assert.deepEqual(
          [r.actor, r.role, r.detail.format, r.detail.messageType, r.detail.status],
          ['source:ehr', 'source', 'hl7v2', 'DFT^P03', 'routed'],
        );
        assert.match(r.source_ip ?? '', /127\.0\.0\.1$/, 'the MLLP peer');
      }
      const [interchange] = messages.filter((m) => m.source === 'drop' && m.status === 'split');
      const { rows: parts } = await t.hub.store.db.query('SELECT id FROM messages WHERE parent_id = $1', [interchange.id]);
      const [batchRecord] = await recordOf(interchange.id);
      assert.deepEqual(
        [batchRecord.actor, batchRecord.detail],
        ['source:drop', { source: 'drop', format: 'x12', messageType: 'interchange', status: 'split', parts: parts.length }],
      );
      assert.equal(parts.length, 1);

      const verification = await verifyAuditChain(t.hub.store.db);
      assert.deepEqual(verification, { ok: true, checked: records.length + 4 });
      const { rows: everything } = await t.hub.store.db.query('SELECT * FROM audit_log');
      const trail = JSON.stringify(everything).toLowerCase();
      assert.deepEqual(
        PHI.filter((text) => trail.includes(text.toLowerCase())),
        [],
        'no PHI in the audit trail',
      );
    });

    it('records a refused message that is stored (AE) with its status failed', async () => {
      const [badSegment] = await sendMllp([mappableDft('AUD-BAD-SEGMENT').replace(/\rPV1\|/, '\rpv1|')]);
      assert.match(badSegment, /\rMSA\|AE\|AUD-BAD-SEGMENT/);
      const [stored] = await storedMessages('ehr', 'AUD-BAD-SEGMENT');
      assert.equal(stored.status, 'failed');
      const [record] = await recordOf(stored.id);
      assert.deepEqual(
        [record.outcome, record.detail],
        ['success', { source: 'ehr', format: 'hl7v2', messageType: 'DFT^P03', status: 'failed' }],
      );
    });

    it('records nothing for a resend answered with its first copy, and records a reused control id stored failed', async () => {
      const [first] = await sendMllp([mappableDft('AUD-RESEND')]);
      const counted = (await receiveRecords()).length;
      const [again] = await sendMllp([mappableDft('AUD-RESEND').replace(/\|2026\d{8,10}\|/, '|20261231235959|')]);
      assert.equal(again, first, 'answered with the first ACK');
      const posted = await postBundle('AUD-HTTP-0');
      assert.equal(posted.status, 200, 'a resent bundle is answered with its first copy');
      assert.equal((await receiveRecords()).length, counted);

      const [reused] = await sendMllp([mappableDft('AUD-RESEND', { amount: '999.00' })]);
      assert.match(reused, /\rMSA\|AE\|AUD-RESEND/);
      const [original, conflict] = await storedMessages('ehr', 'AUD-RESEND');
      assert.equal((await recordOf(original.id)).length, 1);
      assert.deepEqual(
        (await recordOf(conflict.id)).map((r) => r.detail.status),
        ['failed'],
      );
      assert.equal((await receiveRecords()).length, counted + 1);
    });

    it('records the submitter of an API submission as given', async () => {
      const connections = connectRedis(REDIS_URL, t.prefix);
      const queues = new Queues(connections, new Map([['outbox', DEFAULT_RETRY_POLICY]]));
      const intake = new Intake({
        commits: t.hub.store.commits,
        translator: await createTranslator(),
        router: new Router([{ name: 'everything to the outbox', to: ['outbox'] }], 'first-match', new Set(['outbox'])),
        queues,
        ingestPolicy: DEFAULT_RETRY_POLICY,
        log: pino({ level: 'silent' }),
        reader: t.hub.store.reader,
        acknowledger: messageAcknowledger,
      });
      try {
        const receipt = await intake.receive({
          raw: bundle.replace('ACC-5520-01', 'AUD-SUBMITTER'),
          contentType: 'application/fhir+json',
          source: 'portal',
          submitter: { actor: 'api:billing-portal', role: 'source', client: 'key-7f3a', requestId: 'req-audit-1', sourceIp: '10.20.30.40' },
        });
        await intake.drain();
        const [record] = await recordOf(receipt.id);
        assert.deepEqual(
          [record.actor, record.role, record.client, record.request_id, record.source_ip, record.detail],
          [
            'api:billing-portal',
            'source',
            'key-7f3a',
            'req-audit-1',
            '10.20.30.40',
            { source: 'portal', format: 'fhir-r4', messageType: 'Bundle', status: 'routed' },
          ],
        );
        assert.equal((await verifyAuditChain(t.hub.store.db)).ok, true);
      } finally {
        await queues.close();
        await connections.close();
      }
    });
  });
}
