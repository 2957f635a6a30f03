import assert from 'node:assert/strict';
import { MappingError } from '../../canonical-model/errors.js';
import { money, moneySum, moneyTimes } from '../../mappings/money-functions.js';

describe('money functions for mappings', () => {
  it('$money reads numbers and decimal strings exactly, float noise included', () => {
    assert.equal(money(283.31), '283.31');
    assert.equal(money(31336.210000000003), '31336.21');
    assert.equal(money('12.340'), '12.34');
    assert.equal(money(0), '0.00');
    assert.equal(money(undefined), undefined);
  });

  it('$money refuses fractions of a cent with a mapping error that shows the value', () => {
    assert.throws(() => money(10.005), (error: unknown) => error instanceof MappingError && /\$money\(10\.005\): .*fractions of a cent/.test(error.message));
    assert.throws(() => money({ value: 1 }), MappingError);
  });

  it('$moneySum adds without drift and skips missing amounts', () => {
    assert.equal(moneySum([0.1, 0.2]), '0.30');
    assert.equal(moneySum([160.1, undefined, '123.21']), '283.31');
    assert.equal(moneySum([]), undefined);
    assert.equal(moneySum(5), '5.00');
  });

  it('$moneyTimes multiplies decimals exactly (FHIR unitPrice × quantity × factor)', () => {
    assert.equal(moneyTimes(41.07, 3), '123.21');
    assert.equal(moneyTimes(0.1, 3), '0.30');
    assert.equal(moneyTimes(220, 1, 0.07), '15.40');
    assert.equal(moneyTimes(1275.25, 2, undefined), '2550.50');
    assert.equal(moneyTimes(1e2, '1.5'), '150.00');
    assert.equal(moneyTimes(undefined, 2), undefined);
  });

  it('$moneyTimes refuses a product that is not whole cents rather than rounding it', () => {
    assert.throws(() => moneyTimes(41.07, 1.5), (error: unknown) => error instanceof MappingError && /\$moneyTimes\(41\.07, 1\.5\).*fractions of a cent/.test(error.message));
  });
});
