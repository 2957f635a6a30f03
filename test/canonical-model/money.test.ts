import assert from 'node:assert/strict';
import {
  addMoney,
  compareMoney,
  formatMoney,
  InvalidMoneyError,
  isMoney,
  parseMoney,
  subtractMoney,
  sumMoney,
  toMoney,
  ValidationError,
} from '../../canonical-model/index.js';

describe('canonical-model money', () => {
  it('adds 0.1 and 0.2 to exactly 0.30', () => {
    assert.equal(addMoney('0.1', '0.2'), '0.30');
    assert.equal(sumMoney(['0.1', '0.2', '0.3']), '0.60');
  });

  it('sums many small amounts without drift', () => {
    assert.equal(sumMoney(Array.from({ length: 10_000 }, () => '0.01')), '100.00');
  });

  it('sums the professional sample lines to exactly 283.31', () => {
    assert.equal(sumMoney(['160.10', '123.21']), '283.31');
  });

  it('reads a float total with noise (31336.210000000003) as 31336.21', () => {
    assert.equal(toMoney(31336.210000000003), '31336.21');
  });

  it('takes 283.31 as a number and keeps it exact', () => {
    assert.equal(toMoney(283.31), '283.31');
    assert.equal(toMoney(0.1 + 0.2), '0.30');
  });

  it('refuses fractions of a cent with a typed validation error naming the path', () => {
    assert.throws(
      () => toMoney(12.345, '$.item[0].net'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidMoneyError);
        assert.ok(error instanceof ValidationError);
        assert.equal(error.permanent, true);
        assert.deepEqual(
          error.issues.map((i) => [i.path, i.rule]),
          [['$.item[0].net', 'money']],
        );
        return true;
      },
    );
    assert.throws(() => toMoney('12.345'), InvalidMoneyError);
  });

  it('refuses NaN, infinities and numbers too large to be exact', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 1e17]) {
      assert.throws(() => toMoney(value), InvalidMoneyError, String(value));
    }
  });

  it('normalizes wire decimals to two fraction digits', () => {
    assert.equal(toMoney('766.5'), '766.50');
    assert.equal(toMoney('.5'), '0.50');
    assert.equal(toMoney('012.340'), '12.34');
    assert.equal(toMoney('-3'), '-3.00');
    assert.equal(toMoney(' 42 '), '42.00');
  });

  it('refuses text that is not a decimal', () => {
    for (const value of ['', '.', '1,000.00', '12.3.4', '1e3', 'abc']) {
      assert.throws(() => toMoney(value), InvalidMoneyError, value);
    }
  });

  it('parses canonical money to cents and formats cents back', () => {
    assert.equal(parseMoney('283.31'), 28331n);
    assert.equal(parseMoney('-0.5'), -50n);
    assert.equal(formatMoney(5n), '0.05');
    assert.equal(formatMoney(-76650n), '-766.50');
    assert.throws(() => parseMoney('.5'), InvalidMoneyError);
  });

  it('tells canonical money from other values', () => {
    assert.equal(isMoney('283.31'), true);
    assert.equal(isMoney('-5'), true);
    assert.equal(isMoney('12.345'), false);
    assert.equal(isMoney('01.00'), false);
    assert.equal(isMoney(283.31), false);
  });

  it('compares by value, not by spelling', () => {
    assert.equal(compareMoney('766.5', '766.50'), 0);
    assert.equal(compareMoney('0.09', '0.1'), -1);
    assert.equal(compareMoney('-1', '-2'), 1);
    assert.equal(subtractMoney('283.31', '283.30'), '0.01');
  });
});
