// Broken X12 over HTTP, one defect at a time, each answered with the 999/TA1 a clearinghouse would
// send and a clear error; every payload is stored (failed, with a dead letter) and nothing of it is
// delivered. The base is the guide's ambulance 837P, which is clean.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CORPUS } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const X12 = { 'content-type': 'application/edi-x12' };

interface Answer {
  status: number;
  body: { detail?: string; messageId?: string; id?: string; acknowledgement?: { text: string }; parts?: { id: string; status: string; error?: { issues: { path: string; rule: string }[] } }[] };
}

interface Case {
  name: string;
  edit: (text: string) => string;
  status: number;
  /** What the 999/TA1 must say, and what the error must name. */
  ack: RegExp[];
  detail: RegExp;
}

const CASES: Case[] = [
  {
    name: 'wrong SE count',
    edit: (t) => t.replace('SE*52*000017712', 'SE*50*000017712'),
    status: 422,
    ack: [/AK2\*837\*000017712\*005010X222A1~[\s\S]*IK5\*R\*4/, /AK9\*R\*1\*1\*0~/],
    detail: /SE01 .*says 50 segments/,
  },
  {
    name: 'bad ISA length (ISA06 one character short)',
    edit: (t) => t.replace('*ZZ*123456789012345*', '*ZZ*12345678901234*'),
    status: 400,
    ack: [/TA1\*000010216\*061015\*1705\*R\*\d{3}~/],
    detail: /ISA06/,
  },
  {
    name: 'missing CLM (the claim loop is gone, its lines with nowhere to go)',
    edit: (t) => t.replace(/CLM\*051068\*[^~]*~/, '').replace('SE*52*', 'SE*51*'),
    status: 422,
    ack: [/IK3\*[A-Z0-9]+\*\d+\*[0-9A-Z]*\*[1-8]~/, /IK5\*R/],
    detail: /ST02 000017712 is rejected/,
  },
  {
    name: 'bad date (February 30th)',
    edit: (t) => t.replace('DTP*472*D8*20050208~QTY*PT*2~REF*6R*1001', 'DTP*472*D8*20050230~QTY*PT*2~REF*6R*1001'),
    status: 422,
    // IK3 in loop 2400, the claim named in a CTX, then IK4: DTP03 (DE 1251) invalid date (8)
    ack: [/IK3\*DTP\*\d+\*2400\*8~\s*CTX\*CLM01:051068~\s*IK4\*3\*1251\*8\*20050230~/, /IK5\*R\*5~/],
    detail: /DTP03/,
  },
  {
    name: 'unknown qualifier (SBR01 Z)',
    edit: (t) => t.replace('SBR*P*18*', 'SBR*Z*18*'),
    status: 422,
    // SBR01 (DE 1138) invalid code value (7)
    ack: [/IK3\*SBR\*\d+\*2000B\*8~[\s\S]*?IK4\*1\*1138\*7\*Z~/, /IK5\*R\*5~/],
    detail: /SBR01/,
  },
  {
    name: 'truncated file (cut in the middle of a service line)',
    edit: (t) => t.slice(0, t.indexOf('SV1*HC:A0422')),
    status: 422,
    ack: [/TA1\*000010216\*061015\*1705\*R\*023~/],
    detail: /SE|IEA|missing/,
  },
];

describe('X12 broken inputs over HTTP: the right 999/TA1, a clear error, nothing lost or delivered', function () {
  this.timeout(60_000);
  let t: TestHub;
  let base: string;
  before(async () => {
    t = await startTestHub('postgres');
    base = await readFile(join(CORPUS, 'x12/837p/stupidedi-837p-ambulance.edi'), 'utf8');
  });
  after(async () => {
    await t?.stop();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const res = await t.call('POST', '/v1/messages', c.edit(base), X12);
      const answer: Answer = { status: res.status, body: (await res.json()) as Answer['body'] };
      assert.equal(answer.status, c.status, JSON.stringify(answer.body).slice(0, 600));
      const ack = answer.body.acknowledgement?.text ?? '';
      for (const pattern of c.ack) assert.match(ack, pattern, `${c.name}: the acknowledgement ${ack}`);
      assert.match(answer.body.detail ?? '', c.detail);
      // stored: the payload and each of its parts, failed, every failure with a dead letter
      const id = answer.body.messageId!;
      const stored = await t.hub.store.db.query<{ id: string; status: string }>(
        'SELECT id, status FROM messages WHERE id = $1 OR parent_id = $1 ORDER BY received_at',
        [id],
      );
      assert.ok(stored.rows.length >= 1);
      assert.ok(stored.rows.every((row) => row.status === 'failed'), JSON.stringify(stored.rows));
      const letters = await t.hub.store.db.query<{ message_id: string }>(
        'SELECT message_id FROM dead_letters WHERE message_id = ANY($1::uuid[])',
        [stored.rows.map((row) => row.id)],
      );
      assert.ok(letters.rows.length >= 1, 'an operator sees it among the dead letters');
      const ackStored = await t.call('GET', `/v1/messages/${id}/ack`);
      assert.equal(await ackStored.text(), ack);
    });
  }

  it('refuses a payload with a NUL character at once, naming where it is (it could never be stored)', async () => {
    const res = await t.call('POST', '/v1/messages', base.replace('NM1*41*2*', 'NM1*41\u0000*2*'), X12);
    assert.equal(res.status, 400);
    const problem = (await res.json()) as { detail: string; errors: { path: string; rule: string }[] };
    assert.match(problem.detail, /NUL character at line 1 column \d+/);
    assert.equal(problem.errors[0].rule, 'nul-character');
  });

  it('delivered none of them', async () => {
    const outbox = await readdir(join(t.dataDir, 'outbox')).catch(() => []);
    assert.deepEqual(outbox, []);
  });
});
