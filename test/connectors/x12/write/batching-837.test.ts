import assert from 'node:assert/strict';
import type { Claim } from '../../../../canonical-model/index.js';
import type { ClaimInContext } from '../../../../connectors/x12/structure/loop-tree.js';
import type { WrittenInterchange } from '../../../../connectors/x12/write/interchange.js';
import { write837, type Write837Options } from '../../../../connectors/x12/write/write-837.js';
import { batchClaim, institutionalClaim, professionalClaim } from './claims.js';
import { describeFindings, elements, loops, NOW, PROFILE, readBack, segmentLines, suiteCounters, type ReadBack } from './support.js';

describe('837 writer batching', function () {
  this.timeout(60_000);
  const store = suiteCounters();

  async function written(claims: Claim[], options: Partial<Write837Options> = {}): Promise<WrittenInterchange & ReadBack> {
    const interchange = await write837(claims, { profile: PROFILE, controlNumbers: store.counter(), now: NOW, ...options });
    const read = await readBack(interchange.text);
    assert.deepEqual(describeFindings(read.findings), []);
    return { ...interchange, ...read };
  }

  const hl = (claim: ClaimInContext, level: 'billingProvider' | 'subscriber' | 'patient') => elements(claim[level]!, 'HL')!;
  const claimNumber = (claim: ClaimInContext) => elements(claim.claim, 'CLM')![0];
  const billingNpi = (claim: ClaimInContext) => elements(loops(claim.billingProvider, '2010AA')[0], 'NM1')![8];
  const memberId = (claim: ClaimInContext) => elements(loops(claim.subscriber, '2010BA')[0], 'NM1')![8];

  it('puts 2 billing providers × 3 subscribers in one set: one 2000A per provider, one 2000B per subscriber under it', async () => {
    // Interleaved on purpose: the writer groups them, in order of first appearance.
    const input = [0, 1].flatMap((n) => [0, 1].flatMap((provider) => [0, 1, 2].map((subscriber) => batchClaim(provider, subscriber, n))));
    const result = await written(input);
    assert.equal(result.groups.length, 1);
    assert.equal(result.groups[0].transactionSets.length, 1);
    const claims = result.claims;
    assert.equal(claims.length, 12);
    const providerHls = new Set(claims.map((c) => hl(c, 'billingProvider').join('*')));
    assert.deepEqual([...providerHls], ['1**20*1', '5**20*1']);
    const subscriberHls = [...new Set(claims.map((c) => hl(c, 'subscriber').join('*')))];
    assert.deepEqual(subscriberHls, ['2*1*22*0', '3*1*22*0', '4*1*22*0', '6*5*22*0', '7*5*22*0', '8*5*22*0']);
    for (const claim of claims) {
      const [, provider, subscriber] = /^B(\d)-S(\d)-\d$/.exec(claimNumber(claim))!;
      assert.equal(billingNpi(claim), ['1497758544', '1104025329'][Number(provider)], claimNumber(claim));
      assert.equal(memberId(claim), `MEMBER-${subscriber}`, claimNumber(claim));
    }
    assert.deepEqual(
      claims.map(claimNumber),
      result.groups[0].transactionSets[0].items.map((i) => input[i].claimNumber),
      'items name the claims in the order of their CLMs',
    );
  });

  it('puts a subscriber’s dependents under one 2000B, each patient in its own 2000C', async () => {
    const dependent = (given: string, n: number) => {
      const claim = batchClaim(0, 0, n);
      claim.coverages[0].relationship = 'child';
      claim.coverages[0].subscriber = { name: { family: 'Subscriber0', given: ['Parent'] } };
      claim.patient = { ...claim.patient, name: { family: 'Subscriber0', given: [given] } };
      return claim;
    };
    const result = await written([dependent('Ann', 1), batchClaim(0, 0, 2), dependent('Ben', 3), dependent('Ann', 4)]);
    const lines = segmentLines(result.text).filter((line) => line.startsWith('HL*'));
    assert.deepEqual(lines, ['HL*1**20*1', 'HL*2*1*22*1', 'HL*3*2*23*0', 'HL*4*2*23*0', 'HL*5*1*22*0']);
    assert.deepEqual(
      result.claims.map((c) => [claimNumber(c), hl(c, 'subscriber')[0], c.patient && hl(c, 'patient')[0]]),
      [
        ['B0-S0-1', '2', '3'],
        ['B0-S0-4', '2', '3'],
        ['B0-S0-3', '2', '4'],
        ['B0-S0-2', '5', null],
      ],
    );
  });

  it('writes professional and institutional claims in separate groups with their own GS08', async () => {
    const input = [professionalClaim(), institutionalClaim(), batchClaim(1, 0, 1), institutionalClaim()];
    input[3].claimNumber = 'MRH-OP-884214';
    const result = await written(input);
    assert.deepEqual(
      result.groups.map((g) => [g.version, g.transactionSets.map((s) => s.items)]),
      [
        ['005010X222A1', [[0, 2]]],
        ['005010X223A2', [[1, 3]]],
      ],
    );
    const envelope = segmentLines(result.text).filter((line) => /^(GS|ST|SE|GE|IEA)\*/.test(line));
    assert.deepEqual(
      envelope.map((line) => line.split('*').slice(0, 2).join('*')),
      ['GS*HC', 'ST*837', 'SE*' + envelope[2].split('*')[1], 'GE*1', 'GS*HC', 'ST*837', 'SE*' + envelope[6].split('*')[1], 'GE*1', 'IEA*2'],
    );
    assert.match(envelope[0], /\*005010X222A1$/);
    assert.match(envelope[4], /\*005010X223A2$/);
  });

  it('splits a group into transaction sets of at most maxClaimsPerTransactionSet claims, each with its own HL tree', async () => {
    const input = [0, 1, 2, 3, 4].map((n) => batchClaim(n % 2, 0, n));
    const result = await written(input, { maxClaimsPerTransactionSet: 2 });
    const sets = result.groups[0].transactionSets;
    assert.deepEqual(
      sets.map((s) => s.items),
      [[0, 2], [4, 1], [3]],
    );
    const numbers = sets.map((s) => Number(s.controlNumber));
    assert.deepEqual(numbers, [numbers[0], numbers[0] + 1, numbers[0] + 2], 'ST02 from the counter, one block');
    const lines = segmentLines(result.text);
    assert.ok(lines.includes(`GE*3*${result.groups[0].controlNumber}`));
    assert.deepEqual(
      lines.filter((line) => line.startsWith('HL*')),
      ['HL*1**20*1', 'HL*2*1*22*0', 'HL*1**20*1', 'HL*2*1*22*0', 'HL*3**20*1', 'HL*4*3*22*0', 'HL*1**20*1', 'HL*2*1*22*0'],
    );
  });

  it('opens another subscriber level after 100 claims, as loop 2300 repeats 100 times under one HL', async () => {
    const input = Array.from({ length: 130 }, (_, n) => batchClaim(0, 0, n));
    const result = await written(input);
    const subscribers = segmentLines(result.text).filter((line) => line.startsWith('HL*') && line.split('*')[3] === '22');
    assert.deepEqual(subscribers, ['HL*2*1*22*0', 'HL*3*1*22*0']);
    assert.equal(result.claims.filter((c) => hl(c, 'subscriber')[0] === '2').length, 100);
  });

  it('keeps to 5000 claims a transaction set by default', async function () {
    this.timeout(120_000);
    const input = Array.from({ length: 5001 }, (_, n) => batchClaim(n % 2, n % 7, n));
    const result = await written(input);
    assert.deepEqual(
      result.groups[0].transactionSets.map((s) => s.items.length),
      [5000, 1],
    );
    assert.equal(result.claims.length, 5001);
  });
});
