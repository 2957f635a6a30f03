import assert from 'node:assert/strict';
import { DEFAULT_DELIMITERS } from '../../../../connectors/x12/write/serialize.js';
import { decimalR, ValueWriter } from '../../../../connectors/x12/write/values.js';

describe('X12 element values', () => {
  it('writes decimals in R form: no trailing zeros, no bare point, no leading zeros', () => {
    const cases = [
      ['766.50', '766.5'],
      ['100.00', '100'],
      ['0.00', '0'],
      ['0.05', '0.05'],
      ['-5.10', '-5.1'],
      ['-0.00', '0'],
      ['007.250', '7.25'],
      ['1.0', '1'],
      ['12', '12'],
    ];
    assert.deepEqual(
      cases.map(([input]) => [input, decimalR(input)]),
      cases,
    );
  });

  it('writes one day as D8 and a span as RD8, and refuses a span that ends before it starts', () => {
    const v = new ValueWriter(DEFAULT_DELIMITERS);
    assert.deepEqual(v.period({ start: '2026-10-14' }, '$.p', 'DTP03'), { format: 'D8', value: '20261014' });
    assert.deepEqual(v.period({ start: '2026-10-14', end: '2026-10-14' }, '$.p', 'DTP03'), { format: 'D8', value: '20261014' });
    assert.deepEqual(v.period({ start: '2026-10-14' }, '$.p', 'DTP03', 'RD8'), { format: 'RD8', value: '20261014-20261014' });
    assert.deepEqual(v.period({ start: '2026-10-14', end: '2026-10-16' }, '$.p', 'DTP03'), { format: 'RD8', value: '20261014-20261016' });
    assert.equal(v.issues.length, 0);
    assert.equal(v.period({ start: '2026-10-14', end: '2026-10-13' }, '$.p', 'DTP03'), undefined);
    assert.equal(v.date('2026-02-30', '$.d', 'DTP03'), undefined);
    assert.deepEqual(
      v.issues.map((i) => `${i.path} ${i.rule}`),
      ['$.p period-order', '$.d date'],
    );
  });

  it('refuses quantities that are not a positive number, and amounts with fractions of a cent', () => {
    const v = new ValueWriter(DEFAULT_DELIMITERS);
    assert.equal(v.quantity('0.50', '$.q', 'SV104'), '0.5');
    assert.equal(v.quantity('0', '$.zero', 'SV104'), undefined);
    assert.equal(v.quantity('1e3', '$.exp', 'SV104'), undefined);
    assert.equal(v.amount('10.005', '$.a', 'SV102'), undefined);
    assert.deepEqual(
      v.issues.map((i) => `${i.path} ${i.rule}`),
      ['$.zero quantity', '$.exp quantity', '$.a money'],
    );
  });

  it('joins components and drops the empty ones at the end only', () => {
    const v = new ValueWriter(DEFAULT_DELIMITERS);
    assert.equal(v.composite('ABK', 'S52521A', '', '', '', '', '', '', 'Y'), 'ABK:S52521A:::::::Y');
    assert.equal(v.composite('HC', '99213', undefined, undefined), 'HC:99213');
    assert.equal(v.composite('AA', undefined, '', 'CO'), 'AA:::CO');
  });
});
