import assert from 'node:assert/strict';
import { validateCanonical, type Claim, type Issue } from '../../canonical-model/index.js';
import { institutionalClaim, professionalClaim } from './fixtures.js';

/** The blocking issues of a sample after `change`, as "path rule" lines. */
function issuesAfter(sample: () => Claim, change: (claim: Claim) => void): string[] {
  const claim = sample();
  change(claim);
  return validateCanonical(claim).map((issue: Issue) => `${issue.path} ${issue.rule}`);
}

describe('canonical-model claim rules', () => {
  it('refuses a total that is not the exact sum of the lines, giving both amounts', () => {
    const claim = { ...professionalClaim(), totalCharge: '283.30' };
    const [issue] = validateCanonical(claim);
    assert.equal(issue.path, '$.totalCharge');
    assert.equal(issue.rule, 'total-equals-lines');
    assert.match(issue.message, /283\.30.*283\.31/);
  });

  it('accepts a total written with one fraction digit when the value matches (766.5)', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.serviceLines[0].charge = '643.29';
        c.totalCharge = '766.5';
      }),
      [],
    );
  });

  it('names the pointer that refers to no diagnosis', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.serviceLines[1].diagnosisPointers = [1, 3];
      }),
      ['$.serviceLines[1].diagnosisPointers[1] diagnosis-pointer-exists'],
    );
  });

  it('refuses repeated diagnosis sequences', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.diagnoses.push({ ...c.diagnoses[1], sequence: 1 });
      }),
      ['$.diagnoses[2].sequence diagnosis-sequence-unique'],
    );
  });

  it('refuses repeated service line sequences', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.serviceLines[1].sequence = 1;
      }),
      ['$.serviceLines[1].sequence service-line-sequence-unique'],
    );
  });

  it('refuses a professional line without a procedure code', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        delete c.serviceLines[0].procedure;
      }),
      ['$.serviceLines[0].procedure procedure-code-required'],
    );
  });

  it('refuses an institutional line without a revenue code', () => {
    assert.deepEqual(
      issuesAfter(institutionalClaim, (c) => {
        delete c.serviceLines[2].revenueCode;
      }),
      ['$.serviceLines[2].revenueCode revenue-code-required'],
    );
  });

  it('refuses more than four diagnosis pointers on a professional line (837P SV107)', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.diagnoses.push(
          ...[3, 4, 5].map((sequence) => ({ sequence, code: { system: 'ICD-10-CM', code: `Z00.0${sequence}` }, kind: 'other' as const })),
        );
        c.serviceLines[0].diagnosisPointers = [1, 2, 3, 4, 5];
      }),
      ['$.serviceLines[0].diagnosisPointers diagnosis-pointer-limit'],
    );
  });

  it('refuses more than twelve diagnoses on a professional claim (837P HI)', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        for (let sequence = 3; sequence <= 13; sequence++) {
          c.diagnoses.push({ sequence, code: { system: 'ICD-10-CM', code: `R${sequence}` }, kind: 'other' });
        }
      }),
      ['$.diagnoses diagnosis-limit'],
    );
  });

  it('refuses a professional claim with no diagnosis', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.diagnoses = [];
        for (const serviceLine of c.serviceLines) delete serviceLine.diagnosisPointers;
      }),
      ['$.diagnoses diagnosis-required'],
    );
  });

  it('refuses an institutional claim without exactly one principal diagnosis', () => {
    assert.deepEqual(
      issuesAfter(institutionalClaim, (c) => {
        c.diagnoses[1].kind = 'principal';
      }),
      ['$.diagnoses principal-diagnosis'],
    );
  });

  it('refuses a billable period that ends before it starts', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.billablePeriod = { start: '2026-10-14', end: '2026-10-13' };
      }),
      [
        '$.billablePeriod.end period-order',
        '$.serviceLines[0].serviceDate service-date-within-billable-period',
        '$.serviceLines[1].serviceDate service-date-within-billable-period',
      ],
    );
  });

  it('refuses a service date outside the statement period', () => {
    assert.deepEqual(
      issuesAfter(institutionalClaim, (c) => {
        c.serviceLines[3].serviceDate = { start: '2026-09-04' };
      }),
      ['$.serviceLines[3].serviceDate service-date-within-billable-period'],
    );
  });

  it('refuses a line service period that ends before it starts', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        delete c.billablePeriod;
        c.serviceLines[0].serviceDate = { start: '2026-10-14', end: '2026-10-01' };
      }),
      ['$.serviceLines[0].serviceDate.end period-order'],
    );
  });

  it('refuses a replacement or void claim without the original claim number', () => {
    for (const frequency of ['replacement', 'void'] as const) {
      assert.deepEqual(
        issuesAfter(professionalClaim, (c) => {
          c.frequency = frequency;
        }),
        ['$.originalClaimNumber original-claim-number-required'],
        frequency,
      );
    }
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.frequency = 'replacement';
        c.originalClaimNumber = 'FRH26307000412';
      }),
      [],
    );
  });

  it('refuses two primary coverages', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.coverages.push({ ...c.coverages[0], memberId: 'X2' });
      }),
      ['$.coverages[1].rank coverage-rank-unique'],
    );
  });

  it('refuses a claim with no coverage at the coverages path', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.coverages = [];
      }),
      ['$.coverages minItems'],
    );
  });

  it('refuses a billing provider without an NPI', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        delete c.providers.billing.npi;
      }),
      ['$.providers.billing.npi billing-npi-required'],
    );
  });

  it('refuses an NPI that is not 10 digits in the schema', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.providers.billing.npi = '149775854';
      }),
      ['$.providers.billing.npi pattern'],
    );
  });

  it('refuses zero units and negative charges', () => {
    assert.deepEqual(
      issuesAfter(professionalClaim, (c) => {
        c.serviceLines[1].units = '0';
        c.serviceLines[1].charge = '-123.21';
        c.totalCharge = '36.89';
      }),
      ['$.serviceLines[1].charge charge-not-negative', '$.serviceLines[1].units units-positive'],
    );
  });
});
