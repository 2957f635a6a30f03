import assert from 'node:assert/strict';
import type { Claim, PriorAuthorization } from '../../canonical-model/types.js';
import { covers, type AuthorizationStore, type HeldClaimRef } from '../../routes/authorization.js';
import { releaseUnit } from '../../routes/hold-stage.js';
import { Router } from '../../routes/router.js';
import { routingStage } from '../../routes/routing-stage.js';

const known = new Set(['outbox', 'payer']);

function claim(overrides: Partial<Claim> = {}): Claim {
  return {
    resourceType: 'Claim',
    id: 'c1',
    claimNumber: 'PCN-1',
    type: 'professional',
    use: 'claim',
    frequency: 'original',
    status: 'validated',
    currency: 'USD',
    totalCharge: '200',
    patient: { name: { family: 'Doe' } },
    coverages: [{ rank: 'primary', payer: { name: 'Payer', payerId: '84105' }, memberId: 'M1', relationship: 'self' }],
    providers: { billing: { entityType: 'organization', name: 'Clinic' } },
    diagnoses: [],
    serviceLines: [
      { sequence: 1, procedure: { system: 'CPT', code: '99203' }, units: '1', charge: '100', serviceDate: { start: '2026-10-14' } },
      { sequence: 2, procedure: { system: 'CPT', code: '97110' }, units: '1', charge: '100', serviceDate: { start: '2026-10-14' } },
    ],
    provenance: { source: 's', format: 'fhir', mapping: 'm@1' },
    ...overrides,
  };
}

function authorization(overrides: Partial<PriorAuthorization> = {}): PriorAuthorization {
  return {
    resourceType: 'PriorAuthorization',
    kind: 'decision',
    requestNumber: 'R1',
    status: 'approved',
    decision: { status: 'approved', certificationNumber: 'CERT1', validityPeriod: { start: '2026-10-01', end: '2026-12-31' } },
    patient: { name: { family: 'Doe' } },
    coverage: { rank: 'unknown', payer: { name: 'UMO', payerId: '84105' }, memberId: 'M1', relationship: 'self' },
    payer: { name: 'UMO', payerId: '84105' },
    providers: { requesting: { entityType: 'organization', name: 'Clinic' } },
    services: [
      { sequence: 1, procedure: { system: 'HCPCS', code: '99203' } },
      { sequence: 2, procedure: { system: 'HCPCS', code: '97110' } },
    ],
    provenance: { source: 's', format: 'x12', mapping: 'x12-278@1' },
    ...overrides,
  };
}

function store(authorizations: PriorAuthorization[], held: HeldClaimRef[] = []): AuthorizationStore {
  return {
    authorizations: async (memberId) =>
      authorizations.filter((a) => a.coverage.memberId === memberId).map((canonical, i) => ({ id: `a${i}`, messageId: `am${i}`, canonical })),
    heldClaims: async (memberId) => held.filter((h) => h.canonical.coverages[0]?.memberId === memberId),
  };
}

const requiring = [
  { name: 'needs auth', when: "type = 'professional'", requires: ['priorAuthorization' as const], to: ['payer'] },
  { name: 'everything else', to: ['outbox'] },
];

describe('prior authorization: what covers a claim', () => {
  it('covers a claim of the same member and payer whose line codes and dates it certifies', () => {
    assert.equal(covers(authorization(), claim()), true);
  });

  it('does not cover another member, another payer, a code it does not name, or a date outside its validity', () => {
    assert.equal(covers(authorization({ coverage: { ...authorization().coverage, memberId: 'M2' } }), claim()), false);
    assert.equal(covers(authorization({ coverage: { ...authorization().coverage, payer: { name: 'X', payerId: '99999' } } }), claim()), false);
    assert.equal(covers(authorization({ services: [{ sequence: 1, procedure: { system: 'CPT', code: '99203' } }] }), claim()), false);
    const late = claim({ serviceLines: claim().serviceLines.map((l) => ({ ...l, serviceDate: { start: '2027-01-02' } })) });
    assert.equal(covers(authorization(), late), false);
  });

  it('lets a line that quotes its own number pass, and a service-type certification cover any code in its dates', () => {
    const ownNumber = claim({ serviceLines: [{ ...claim().serviceLines[0]!, procedure: { system: 'CPT', code: '11111' }, priorAuthorizationNumber: 'X' }, claim().serviceLines[1]!] });
    assert.equal(covers(authorization(), ownNumber), true);
    assert.equal(covers(authorization({ services: [{ sequence: 1, serviceType: { system: 'X12-1365', code: '48' } }] }), claim()), true);
  });

  it('does not count a denied decision, a denied service or a decision without a certification number', () => {
    assert.equal(covers(authorization({ status: 'denied', decision: { status: 'denied' } }), claim()), false);
    const deniedLine = authorization({
      services: [authorization().services[0]!, { ...authorization().services[1]!, decision: { status: 'denied' } }],
    });
    assert.equal(covers(deniedLine, claim()), false);
    assert.equal(covers(authorization({ decision: { status: 'approved' } }), claim()), false);
  });
});

describe('router: routes that require a prior authorization', () => {
  it('holds a claim without one in first-match mode: no destination, no fall-through to the catch-all', async () => {
    const router = new Router(requiring, 'first-match', known);
    assert.deepEqual(await router.decide(claim()), { destinations: [], routes: [], held: [{ route: 'needs auth', missing: ['priorAuthorization'] }] });
  });

  it('routes a claim that quotes a number on the claim or on every line, or that a stored decision covers', async () => {
    const router = new Router(requiring, 'first-match', known, store([authorization()]));
    assert.deepEqual((await new Router(requiring, 'first-match', known).decide(claim({ priorAuthorizationNumber: 'P1' }))).destinations, ['payer']);
    const lines = claim({ serviceLines: claim().serviceLines.map((l) => ({ ...l, priorAuthorizationNumber: 'L' })) });
    assert.deepEqual((await new Router(requiring, 'first-match', known).decide(lines)).destinations, ['payer']);
    const decision = await router.decide(claim());
    assert.deepEqual(decision.destinations, ['payer']);
    assert.deepEqual(decision.authorization, { kind: 'stored', authorizationId: 'a0', messageId: 'am0', certificationNumber: 'CERT1' });
  });

  it('routes a claim an operator released (holdOverride), and leaves objects that are not claims alone', async () => {
    const router = new Router(requiring, 'first-match', known);
    const released = claim({ extensions: { holdOverride: { by: 'api:ops', at: '2026-10-20T00:00:00Z', reason: 'payer said so' } } });
    assert.deepEqual((await router.decide(released)).destinations, ['payer']);
    assert.deepEqual((await router.decide({ resourceType: 'Remittance', type: 'professional' })).destinations, ['payer']);
  });

  it('gives route predicates $hasApprovedAuthorization()', async () => {
    const routes = [
      { name: 'authorized', when: '$hasApprovedAuthorization()', to: ['payer'] },
      { name: 'the rest', to: ['outbox'] },
    ];
    assert.deepEqual((await new Router(routes, 'first-match', known, store([authorization()])).decide(claim())).destinations, ['payer']);
    assert.deepEqual((await new Router(routes, 'first-match', known, store([])).decide(claim())).destinations, ['outbox']);
  });
});

describe('routing and release units for held claims', () => {
  it('holds the whole message when one of its claims is held; the other keeps its destinations and waits', async () => {
    const router = new Router(requiring, 'first-match', known);
    const quoted = claim({ id: 'c2', claimNumber: 'PCN-2', priorAuthorizationNumber: 'P2' });
    const outcome = await routingStage(router, 'm1', [
      { id: 'c1', seq: 1, claimNumber: 'PCN-1', canonical: claim() },
      { id: 'c2', seq: 2, claimNumber: 'PCN-2', canonical: quoted },
    ], 'test');
    assert.equal(outcome.held, true);
    assert.deepEqual(outcome.destinations, []);
    assert.deepEqual(outcome.unit.claimStatuses, [{ claimId: 'c1', status: 'held' }]);
    assert.deepEqual(outcome.unit.claimDestinations, [{ claimId: 'c2', destinations: ['payer'] }]);
    assert.deepEqual(outcome.unit.statusUpdates, [{ messageId: 'm1', status: 'held' }]);
    assert.deepEqual(outcome.unit.events![0]!.detail, {
      claims: [{ claimId: 'c1', claimNumber: 'PCN-1', holds: [{ route: 'needs auth', missing: ['priorAuthorization'] }] }],
      waiting: ['PCN-2'],
    });
  });

  it('releases the held claims an arriving decision covers: number, event on their message, message back to mapped', async () => {
    const held: HeldClaimRef[] = [
      { claimId: 'c1', messageId: 'm1', claimNumber: 'PCN-1', canonical: claim({ status: 'held' }) },
      { claimId: 'c3', messageId: 'm3', claimNumber: 'PCN-3', canonical: claim({ id: 'c3', status: 'held', serviceLines: [{ ...claim().serviceLines[0]!, procedure: { system: 'CPT', code: '27447' } }] }) },
    ];
    const { unit, released } = await releaseUnit(store([], held), 'auth-msg', [authorization()], 'test');
    assert.deepEqual(released, ['m1']);
    assert.deepEqual(unit.claimStatuses, [{ claimId: 'c1', status: 'validated', priorAuthorizationNumber: 'CERT1' }]);
    assert.deepEqual(unit.statusUpdates, [{ messageId: 'm1', status: 'mapped' }]);
    assert.deepEqual(unit.events![0], {
      messageId: 'm1',
      event: 'released',
      actor: 'test',
      detail: { claimId: 'c1', claimNumber: 'PCN-1', by: 'prior-authorization', authorizationMessageId: 'auth-msg' },
    });
    assert.deepEqual((await releaseUnit(store([], held), 'auth-msg', [authorization({ status: 'denied', decision: { status: 'denied' } })], 'test')).released, []);
  });
});
