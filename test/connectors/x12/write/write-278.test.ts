import assert from 'node:assert/strict';
import { ValidationError, type PriorAuthorization } from '../../../../canonical-model/index.js';
import type { LoopNode } from '../../../../connectors/x12/structure/loop-tree.js';
import type { ReserveControlNumbers } from '../../../../connectors/x12/write/interchange.js';
import { check278 } from '../../../../connectors/x12/write/prior-authorization-278.js';
import { write278 } from '../../../../connectors/x12/write/write-278.js';
import { priorAuthorization } from '../../../canonical-model/fixtures.js';
import { fullPriorAuthorization } from '../../../canonical-model/full-samples.js';
import { describeFindings, elements, loops, NOW, PROFILE, readBack, segmentLines, suiteCounters } from './support.js';

/** The canonical sample decision turned back into the request it answered. */
function request(): PriorAuthorization {
  const sample = priorAuthorization();
  const { decision: _decision, ...asked } = sample;
  return { ...asked, kind: 'request', status: 'requested', services: sample.services.map(({ decision: _d, ...service }) => service) };
}

/** The admission review sample's shape: an inpatient stay at a facility, a dependent patient, two services. */
function admissionRequest(): PriorAuthorization {
  const full = structuredClone(fullPriorAuthorization) as PriorAuthorization;
  const { decision: _decision, ...asked } = full;
  return {
    ...asked,
    kind: 'request',
    status: 'requested',
    category: { system: 'X12-UM01', code: 'AR' },
    eventPeriod: { start: '2026-11-02', end: '2026-11-05' },
    services: [
      {
        sequence: 1,
        revenueCode: { system: 'NUBC-REV', code: '0120' },
        units: '3',
        unitType: 'DY',
        serviceType: { system: 'X12-1365', code: '48' },
        placeOfService: { system: 'POS', code: '21' },
      },
      {
        sequence: 2,
        procedure: { system: 'CPT', code: '27447' },
        modifiers: ['RT'],
        serviceType: { system: 'X12-1365', code: '2' },
        serviceDate: { start: '2026-11-02' },
        placeOfService: { system: 'POS', code: '21' },
        servicingProvider: full.providers.servicing,
      },
    ],
  };
}

const hlOf = (node: LoopNode) => elements(node, 'HL')!;

describe('278 request writer', function () {
  this.timeout(30_000);
  const store = suiteCounters();

  async function written(requests: PriorAuthorization[]) {
    const interchange = await write278(requests, {
      profile: PROFILE,
      controlNumbers: store.counter('umo'),
      now: NOW,
      lineBreak: '\n',
    });
    const read = await readBack(interchange.text);
    assert.deepEqual(describeFindings(read.findings), [], interchange.text);
    assert.equal(read.trees.length, requests.length);
    return { ...interchange, ...read };
  }

  it('writes a request for the subscriber as a clean 278: UMO, requester, subscriber, patient event, service', async () => {
    const { trees, text } = await written([request()]);
    const [tree] = trees;
    assert.deepEqual(elements(tree, 'BHT'), ['0007', '13', 'FPM-UM-20261020-7', '20261016', '1405']);
    const [umo] = loops(tree, '2000A');
    const [requester] = loops(umo, '2000B');
    const [subscriber] = loops(requester, '2000C');
    const [event] = loops(subscriber, '2000E');
    const [service] = loops(event, '2000F');
    assert.deepEqual([umo, requester, subscriber, event, service].map(hlOf), [
      ['1', '', '20', '1'],
      ['2', '1', '21', '1'],
      ['3', '2', '22', '1'],
      ['4', '3', 'EV', '1'],
      ['5', '4', 'SS', '0'],
    ]);
    assert.deepEqual(elements(loops(umo, '2010A')[0], 'NM1'), ['X3', '2', 'Front Range Health Alliance UM', '', '', '', '', 'PI', '84105']);
    assert.equal(elements(loops(requester, '2010B')[0], 'NM1')?.join('*'), '1P*2*Flatirons Physical Medicine PC*****XX*1497758544');
    assert.deepEqual(elements(loops(subscriber, '2010C')[0], 'REF'), ['6P', 'GRP-5510']);
    assert.deepEqual(elements(event, 'UM'), ['HS', 'I', 'PT', '11:B']);
    assert.equal(elements(event, 'HCR'), undefined, 'a request carries no review outcome');
    assert.deepEqual(elements(event, 'HI'), ['ABK:M5450']);
    assert.deepEqual(elements(loops(event, '2010EA')[0], 'NM1')?.slice(0, 4), ['SJ', '1', 'Alvarez', 'Rosa']);
    assert.deepEqual(elements(service, 'DTP'), ['472', 'RD8', '20261021-20270119']);
    assert.deepEqual(elements(service, 'SV1'), ['HC:97110']);
    assert.deepEqual(elements(service, 'HSD'), ['VS', '12']);
    const lines = segmentLines(text);
    assert.ok(
      lines.includes(
        'GS*HI*FLATIRONSBILL*PEAKCLEARING*20261016*1405*' + lines.find((l) => l.startsWith('GE*'))!.split('*')[2] + '*X*005010X217',
      ),
    );
  });

  it('writes an admission review for a dependent: 2000D with INS, admission and discharge dates, facility and SV2', async () => {
    const { trees } = await written([admissionRequest()]);
    const [subscriber] = loops(loops(loops(trees[0], '2000A')[0], '2000B')[0], '2000C');
    const [dependent] = loops(subscriber, '2000D');
    assert.deepEqual(hlOf(dependent), ['4', '3', '23', '1']);
    const member = loops(dependent, '2010D')[0];
    assert.deepEqual(elements(member, 'INS'), ['N', '19']);
    assert.deepEqual(elements(member, 'DMG'), ['D8', '19790830', 'M']);
    const [event] = loops(dependent, '2000E');
    assert.deepEqual(hlOf(event), ['5', '4', 'EV', '1']);
    assert.deepEqual(elements(event, 'TRN'), ['1', 'FPM-UM-20261020-7', '1840123456']);
    assert.deepEqual(elements(event, 'UM'), ['AR', 'I', '', '21:B'], 'the services share a place of service, not a service type');
    assert.deepEqual(
      event.segments.filter((s) => s.id === 'DTP').map((s) => s.elements.join('*')),
      ['435*D8*20261102', '096*D8*20261105'],
    );
    assert.deepEqual(
      loops(event, '2010EA').map((provider) => elements(provider, 'NM1')?.[0]),
      ['SJ', 'FA', '71'],
    );
    const [stay, surgery] = loops(event, '2000F');
    assert.deepEqual(
      [hlOf(stay), hlOf(surgery)],
      [
        ['6', '5', 'SS', '0'],
        ['7', '5', 'SS', '0'],
      ],
    );
    assert.deepEqual(elements(stay, 'UM'), ['HS', 'I', '48']);
    assert.deepEqual(elements(stay, 'SV2'), ['0120']);
    assert.deepEqual(elements(stay, 'HSD'), ['DY', '3']);
    assert.deepEqual(elements(surgery, 'SV1'), ['HC:27447:RT']);
    assert.deepEqual(elements(loops(surgery, '2010FA')[0], 'PRV'), ['PE', 'PXC', '208100000X']);
  });

  it('writes several requests into one HI group, one transaction set each, numbered from the counter', async () => {
    const second = request();
    second.requestNumber = 'FPM-UM-20261020-8';
    const result = await written([request(), second]);
    assert.equal(result.groups.length, 1);
    const sets = result.groups[0].transactionSets;
    assert.deepEqual(
      sets.map((s) => s.items),
      [[0], [1]],
    );
    assert.equal(Number(sets[1].controlNumber), Number(sets[0].controlNumber) + 1);
    assert.deepEqual(
      result.trees.map((tree) => elements(tree, 'BHT')?.[2]),
      ['FPM-UM-20261020-7', 'FPM-UM-20261020-8'],
    );
    assert.match(
      result.text,
      new RegExp(`GE\\*2\\*${result.groups[0].controlNumber}~\\nIEA\\*1\\*${result.interchangeControlNumber}~\\n$`),
    );
  });

  it('refuses decisions, requesters without an NPI and requests without a review category, naming each', async () => {
    const spent: number[] = [];
    const controlNumbers: ReserveControlNumbers = async (_kind, count) => {
      spent.push(count);
      return Array.from({ length: count }, (_, i) => i + 1);
    };
    const decision = priorAuthorization();
    const anonymous = request();
    delete anonymous.providers.requesting.npi;
    delete anonymous.category;
    const orphan = request();
    orphan.coverage.relationship = 'child';
    const error = await write278([decision, anonymous, orphan], { profile: PROFILE, controlNumbers, now: NOW }).catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(
      error.issues.map((i) => `${i.path} ${i.rule}`),
      [
        '$[0].kind unsupported-kind',
        '$[1].providers.requesting.npi required',
        '$[1].category required',
        '$[2].coverage.subscriber required',
      ],
    );
    assert.deepEqual(spent, [], 'no control number spent');
    assert.deepEqual(check278(request()), []);
  });

  it('refuses a service it could not describe and a quantity HSD has no qualifier for', () => {
    const vague = request();
    vague.services[0] = { sequence: 1, units: '2', unitType: 'ZZ' };
    assert.deepEqual(
      check278(vague).map((i) => `${i.path} ${i.rule}`),
      ['$.services[0] required', '$.services[0].unitType code'],
    );
  });
});
