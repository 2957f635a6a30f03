import assert from 'node:assert/strict';
import { ConfigError } from '../../canonical-model/errors.js';
import { RouteEvaluationError } from '../../routes/errors.js';
import { Router } from '../../routes/router.js';

const known = new Set(['outbox', 'finance', 'audit']);
const routes = [
  { name: 'institutional', when: "type = 'institutional'", to: ['finance', 'outbox'], priority: 2 },
  { name: 'high value', when: '$number(totalCharge) >= 10000', to: ['audit'], priority: 1 },
  { name: 'everything else', to: ['outbox'] },
];

describe('router', () => {
  it('sends a claim to the first matching route only, in first-match mode', async () => {
    const router = new Router(routes, 'first-match', known);
    assert.deepEqual(await router.decide({ type: 'institutional', totalCharge: '20000.00' }), {
      destinations: ['finance', 'outbox'],
      routes: ['institutional'],
      priority: 2,
    });
    assert.deepEqual((await router.decide({ type: 'professional', totalCharge: '12.00' })).destinations, ['outbox']);
  });

  it('collects every matching route, without repeats and with the highest priority, in fan-out mode', async () => {
    const router = new Router(routes, 'fan-out', known);
    const decision = await router.decide({ type: 'institutional', totalCharge: '20000.00' });
    assert.deepEqual(decision.destinations, ['finance', 'outbox', 'audit']);
    assert.equal(decision.priority, 1);
  });

  it('names the route and position of a JSONata syntax error at start-up', () => {
    assert.throws(
      () => new Router([{ name: 'broken', when: "type = 'x", to: ['outbox'] }], 'first-match', known),
      (error: unknown) =>
        error instanceof ConfigError && error.issues[0]!.path === 'routes[0].when' && /position/.test(error.issues[0]!.message),
    );
  });

  it('refuses a route to a destination that is not configured', () => {
    assert.throws(
      () => new Router([{ name: 'typo', to: ['outbx'] }], 'first-match', known),
      (error: unknown) => error instanceof ConfigError && /unknown destination "outbx"/.test(error.message),
    );
  });

  it('reports a predicate that fails at run time as a route error, not a crash', async () => {
    const router = new Router([{ name: 'bad fn', when: '$nosuchfunction(type)', to: ['outbox'] }], 'first-match', known);
    await assert.rejects(router.decide({ type: 'x' }), RouteEvaluationError);
  });
});
