import assert from 'node:assert/strict';
import { ValidationError } from '../../../canonical-model/errors.js';
import type { Claim } from '../../../canonical-model/types.js';
import { unescapeHl7 } from '../../../connectors/hl7v2/escape.js';
import { parseHl7Message, type Hl7Message } from '../../../connectors/hl7v2/parse.js';
import { claimToDft, type DftOptions } from '../../../connectors/hl7v2/write/claim-to-dft.js';
import { messageControlId } from '../../../connectors/hl7v2/write/control-id.js';
import { escapeHl7 } from '../../../connectors/hl7v2/write/er7.js';
import { institutionalClaim, professionalClaim } from '../../canonical-model/fixtures.js';

const options: DftOptions = {
  header: {
    sendingApplication: 'CLAIMHUB',
    sendingFacility: 'MESA',
    receivingApplication: 'PM^2.16.840.1.113883.3.7^ISO',
    receivingFacility: 'BILLING',
    processingId: 'T',
  },
  controlId: 'J7LWEGFYGCHUQBX62X-3',
  now: new Date('2026-10-15T20:02:05Z'),
};

/** The DFT as our parser reads it. */
function rendered(claim: Claim): Hl7Message {
  return parseHl7Message(claimToDft(claim, options));
}

function segments(message: Hl7Message, id: string) {
  return message.segments.filter((segment) => segment.id === id);
}

/** One value, unescaped: field `field` of the n-th `id` segment, repetition, component, subcomponent from 1. */
function value(message: Hl7Message, id: string, field: number, component = 1, repetition = 1, n = 1, sub = 1): string {
  const { encoding } = message;
  const text = segments(message, id)[n - 1]?.fields[field] ?? '';
  const part = (text.split(encoding.repetition)[repetition - 1] ?? '').split(encoding.component)[component - 1] ?? '';
  return unescapeHl7(part.split(encoding.subcomponent)[sub - 1] ?? '', encoding);
}

describe('claimToDft', () => {
  it('writes a professional claim as a DFT^P03 our parser reads back with its values', () => {
    const message = rendered(professionalClaim());
    assert.deepEqual(
      message.segments.map((segment) => segment.id),
      ['MSH', 'EVN', 'PID', 'PV1', 'FT1', 'FT1', 'DG1', 'DG1', 'IN1', 'IN2'],
    );
    const { header } = message;
    assert.equal(header.messageType + '^' + header.triggerEvent + '^' + header.messageStructure, 'DFT^P03^DFT_P03');
    assert.equal(header.controlId, 'J7LWEGFYGCHUQBX62X-3');
    assert.equal(header.version, '2.5.1');
    assert.equal(header.processingId, 'T');
    assert.equal(header.dateTime, '20261015200205+0000');
    assert.equal(header.sendingApplication.namespaceId, 'CLAIMHUB');
    assert.equal(header.sendingFacility.namespaceId, 'MESA');
    assert.deepEqual(header.receivingApplication, { namespaceId: 'PM', universalId: '2.16.840.1.113883.3.7', universalIdType: 'ISO' });
    assert.equal(header.receivingFacility.namespaceId, 'BILLING');

    assert.equal(value(message, 'PID', 3, 1), 'MRN-207734');
    assert.equal(value(message, 'PID', 3, 4, 1, 1, 2), '2.16.840.1.113883.3.8888.2');
    assert.equal(value(message, 'PID', 3, 5), 'MR');
    assert.equal(value(message, 'PID', 5, 1), 'Nakamura');
    assert.equal(value(message, 'PID', 5, 2), 'Jun');
    assert.equal(value(message, 'PID', 7), '19790830');
    assert.equal(value(message, 'PID', 8), 'M');
    assert.equal(value(message, 'PID', 11, 3), 'Boulder');
    assert.equal(value(message, 'PID', 18), 'ACC-5520-01');

    // Service line 1: CPT 99203-25, 1 unit, 160.10, two diagnoses, rendered by Dr Alvarez.
    assert.equal(value(message, 'FT1', 2), 'ACC-5520-01-1');
    assert.equal(value(message, 'FT1', 4), '20261014');
    assert.equal(value(message, 'FT1', 6), 'CG');
    assert.equal(value(message, 'FT1', 7, 1), '99203');
    assert.equal(value(message, 'FT1', 7, 3), 'C4');
    assert.equal(value(message, 'FT1', 10), '1');
    assert.equal(value(message, 'FT1', 11, 1, 1, 1, 1), '160.10');
    assert.equal(value(message, 'FT1', 11, 1, 1, 1, 2), 'USD');
    assert.equal(value(message, 'FT1', 19, 1, 1), 'M54.50');
    assert.equal(value(message, 'FT1', 19, 1, 2), 'E11.9');
    assert.equal(value(message, 'FT1', 19, 3, 2), 'I10');
    assert.equal(value(message, 'FT1', 20, 1), '1104025329');
    assert.equal(value(message, 'FT1', 20, 2), 'Alvarez');
    assert.equal(value(message, 'FT1', 20, 13), 'NPI');
    assert.equal(value(message, 'FT1', 25, 1), '99203');
    assert.equal(value(message, 'FT1', 26), '25');
    // Line 2: 3 units at 41.07.
    assert.equal(value(message, 'FT1', 7, 1, 1, 2), '97110');
    assert.equal(value(message, 'FT1', 10, 1, 1, 2), '3');
    assert.equal(value(message, 'FT1', 11, 1, 1, 2), '123.21');
    assert.equal(value(message, 'FT1', 12, 1, 1, 2), '41.07');

    assert.equal(value(message, 'DG1', 3, 1, 1, 1), 'M54.50');
    assert.equal(value(message, 'DG1', 3, 3, 1, 1), 'I10');
    assert.equal(value(message, 'DG1', 3, 1, 1, 2), 'E11.9');
    assert.equal(value(message, 'DG1', 6), 'F');

    assert.equal(value(message, 'IN1', 3), '84105');
    assert.equal(value(message, 'IN1', 4), 'Front Range Health Alliance');
    assert.equal(value(message, 'IN1', 8), 'GRP-5510');
    assert.equal(value(message, 'IN1', 15), 'CI');
    assert.equal(value(message, 'IN1', 16, 1), 'Nakamura');
    assert.equal(value(message, 'IN1', 17), 'SEL');
    assert.equal(value(message, 'IN1', 22), '1');
    assert.equal(value(message, 'IN1', 36), 'FRH207734-01');
    assert.equal(value(message, 'IN2', 72), '01');
  });

  it('writes an institutional claim with admission, revenue codes, NDC, procedures, subscriber and accident', () => {
    const claim = institutionalClaim();
    claim.institutional!.procedures = [{ code: { system: 'ICD-10-PCS', code: '0PSJ04Z' }, kind: 'principal' }];
    claim.institutional!.drgCode = '563';
    const message = rendered(claim);
    assert.deepEqual(
      message.segments.map((segment) => segment.id),
      ['MSH', 'EVN', 'PID', 'PV1', 'FT1', 'PR1', 'FT1', 'FT1', 'FT1', 'DG1', 'DG1', 'DG1', 'DRG', 'IN1', 'IN2', 'ACC'],
    );
    assert.equal(value(message, 'PV1', 2), 'O');
    assert.equal(value(message, 'PV1', 4), '1');
    assert.equal(value(message, 'PV1', 7, 2), 'Lindqvist');
    assert.equal(value(message, 'PV1', 14), '7');
    assert.equal(value(message, 'PV1', 36), '01');
    assert.equal(value(message, 'PV1', 44), '202609031420');
    assert.equal(value(message, 'PV1', 45), '202609031905');
    assert.equal(value(message, 'FT1', 7, 1), '0450');
    assert.equal(value(message, 'FT1', 8), 'Emergency room');
    assert.equal(value(message, 'FT1', 25, 1), '99284');
    assert.equal(value(message, 'FT1', 29, 1, 1, 4), '00409128331');
    assert.equal(value(message, 'FT1', 29, 3, 1, 4), 'NDC');
    // The procedure has no date of its own: the billable period's start.
    assert.equal(value(message, 'PR1', 3, 1), '0PSJ04Z');
    assert.equal(value(message, 'PR1', 3, 3), 'I10P');
    assert.equal(value(message, 'PR1', 5), '20260903');
    assert.equal(value(message, 'PR1', 14), '1');
    assert.equal(value(message, 'DRG', 1), '563');
    // The subscriber is the patient's spouse: insured Chidi Okafor, SPO both ways.
    assert.equal(value(message, 'IN1', 14), 'RMM-PA-55017');
    assert.equal(value(message, 'IN1', 16, 2), 'Chidi');
    assert.equal(value(message, 'IN1', 17), 'SPO');
    assert.equal(value(message, 'IN1', 18), '19860624');
    assert.equal(value(message, 'IN2', 72), '02');
    assert.equal(value(message, 'ACC', 1), '20260903');
    assert.equal(value(message, 'ACC', 2), 'OA');
  });

  it('escapes separators and control characters in values, and the parser gives the values back', () => {
    const claim = professionalClaim();
    claim.patient.name = { family: 'O|Brien^Jr~X\\Y&Z', given: ['Ann'] };
    claim.patient.address = { lines: ['12 Main St\rMSH|^~\\&|INJECTED', 'Unit 4\n5'], city: 'Fort|Collins', state: 'CO' };
    const text = claimToDft(claim, options);
    assert.match(text, /PID\|1\|\|[^\r]*\|\|O\\F\\Brien\\S\\Jr\\R\\X\\E\\Y\\T\\Z\^Ann\^/);
    const message = parseHl7Message(text);
    assert.equal(segments(message, 'MSH').length, 1, 'a CR in a value does not start a segment');
    assert.equal(value(message, 'PID', 5, 1), 'O|Brien^Jr~X\\Y&Z');
    assert.equal(value(message, 'PID', 5, 2), 'Ann');
    assert.equal(value(message, 'PID', 11, 1), '12 Main St\rMSH|^~\\&|INJECTED');
    assert.equal(value(message, 'PID', 11, 2), 'Unit 4\n5');
    assert.equal(value(message, 'PID', 11, 3), 'Fort|Collins');
    assert.equal(value(message, 'IN1', 16, 1), 'O|Brien^Jr~X\\Y&Z');
    assert.equal(escapeHl7('\x0b\x1c'), '\\X0B\\\\X1C\\', 'MLLP block characters never reach the frame');
  });

  it('credits the charges of a void claim (FT1-6 CD)', () => {
    const claim = professionalClaim();
    claim.frequency = 'void';
    const message = rendered(claim);
    assert.deepEqual(
      segments(message, 'FT1').map((ft1) => ft1.fields[6]),
      ['CD', 'CD'],
    );
  });

  it('uses the member id as PID-3 when the patient has no identifier but holds the coverage', () => {
    const claim = professionalClaim();
    delete claim.patient.identifiers;
    const message = rendered(claim);
    assert.equal(value(message, 'PID', 3, 1), 'FRH207734-01');
    assert.equal(value(message, 'PID', 3, 4), '84105');
    assert.equal(value(message, 'PID', 3, 5), 'MB');
  });

  it('refuses a claim the DFT cannot carry, naming every JSON path', () => {
    const claim = institutionalClaim();
    delete claim.patient.identifiers;
    delete claim.billablePeriod;
    delete claim.serviceLines[1].serviceDate;
    delete claim.serviceLines[2].revenueCode;
    delete claim.serviceLines[2].procedure;
    claim.serviceLines[0].diagnosisPointers = [1, 9];
    assert.throws(
      () => claimToDft(claim, options),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(
          error.issues.map((issue) => issue.path),
          [
            '$.patient.identifiers',
            '$.serviceLines[0].diagnosisPointers[1]',
            '$.serviceLines[1].serviceDate',
            '$.serviceLines[2].procedure',
          ],
        );
        assert.doesNotMatch(error.message, /Okafor|RMM4410982|1988/);
        return true;
      },
    );
  });
});

describe('messageControlId', () => {
  it('is stable for a delivery and seq, at most 20 characters, and differs by seq and by delivery', () => {
    const key = '6f3c1e0a-5b8d-4a52-9d4e-1c7b2e90af31.billing';
    const id = messageControlId(key, 3);
    assert.equal(id, messageControlId(key, 3));
    assert.match(id, /^[A-Z2-7]+-3$/);
    assert.equal(id.length, 20);
    assert.notEqual(messageControlId(key, 4), id);
    assert.notEqual(messageControlId('6f3c1e0a-5b8d-4a52-9d4e-1c7b2e90af31.outbox', 3), id);
    assert.ok(messageControlId(key, 123_456_789).length <= 20);
  });
});
