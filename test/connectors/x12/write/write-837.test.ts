import assert from 'node:assert/strict';
import type { Claim } from '../../../../canonical-model/index.js';
import type { ClaimInContext } from '../../../../connectors/x12/structure/loop-tree.js';
import { write837 } from '../../../../connectors/x12/write/write-837.js';
import {
  autoAccidentInstitutionalClaim,
  dependentWithSecondaryClaim,
  drugLineClaim,
  fullInstitutionalClaim,
  fullProfessionalClaim,
  institutionalClaim,
  professionalClaim,
} from './claims.js';
import { describeFindings, elements, loops, NOW, PROFILE, readBack, segmentLines, suiteCounters, type ReadBack } from './support.js';

describe('837 writer', function () {
  this.timeout(30_000);
  const store = suiteCounters();

  /** Writes the claims, reads the file back and checks it is clean: no envelope or structure finding. */
  async function roundTrip(claims: Claim[]): Promise<ReadBack & { text: string }> {
    const written = await write837(claims, { profile: PROFILE, controlNumbers: store.counter(), now: NOW, lineBreak: '\n' });
    const read = await readBack(written.text);
    assert.deepEqual(describeFindings(read.findings), [], written.text);
    assert.equal(read.claims.length, claims.length);
    return { ...read, text: written.text };
  }

  const clm = (claim: ClaimInContext) => elements(claim.claim, 'CLM')!;
  const lines = (claim: ClaimInContext) => loops(claim.claim, '2400');

  it('writes the professional sample as a clean 837P: envelope, HL tree, CLM and SV1 as the claim says', async () => {
    const { text, claims, events } = await roundTrip([professionalClaim()]);
    const [claim] = claims;
    assert.deepEqual(clm(claim), ['ACC-5520-01', '283.31', '', '', '11:B:1', 'Y', 'A', 'Y', 'Y']);
    assert.deepEqual(elements(claim.billingProvider, 'HL'), ['1', '', '20', '1']);
    assert.deepEqual(elements(claim.subscriber, 'HL'), ['2', '1', '22', '0']);
    assert.equal(claim.patient, null, 'the patient is the subscriber: no 2000C');
    assert.deepEqual(elements(claim.subscriber, 'SBR'), ['P', '18', 'GRP-5510', '', '', '', '', '', 'CI']);
    assert.equal(
      elements(loops(claim.billingProvider, '2010AA')[0], 'NM1')?.join('*'),
      '85*2*Flatirons Physical Medicine PC*****XX*1497758544',
    );
    assert.deepEqual(elements(claim.claim, 'HI'), ['ABK:M5450', 'ABF:E119']);
    assert.deepEqual(
      lines(claim).map((line) => elements(line, 'SV1')),
      [
        ['HC:99203:25', '160.1', 'UN', '1', '', '', '1:2'],
        ['HC:97110', '123.21', 'UN', '3', '', '', '1'],
      ],
    );
    assert.deepEqual(elements(lines(claim)[0], 'DTP'), ['472', 'D8', '20261014']);
    assert.deepEqual(elements(lines(claim)[1], 'REF', '6R'), ['6R', 'ACC-5520-01-2']);
    assert.deepEqual(elements(loops(claim.claim, '2310B')[0], 'PRV'), ['PE', 'PXC', '208100000X']);
    const end = events.find((e) => e.kind === 'transaction-set-end')!;
    assert.equal(end.kind === 'transaction-set-end' && end.trailer?.elements[0], String(end.segmentCount), 'SE01 counts ST…SE');
    assert.match(text, /^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*FLATIRONSBILL  \*ZZ\*PEAKCLEARING   \*261016\*1405\*\^\*00501\*\d{9}\*0\*T\*:~\n/);
    assert.match(text, /\nGE\*1\*\d+~\nIEA\*1\*\d{9}~\n$/);
  });

  it('writes the institutional sample as a clean 837I: bill type, statement dates, UB codes in HI, SV2 lines', async () => {
    const { claims } = await roundTrip([institutionalClaim()]);
    const [claim] = claims;
    assert.deepEqual(clm(claim), ['MRH-OP-884213', '1786.33', '', '', '13:A:1', '', 'A', 'Y', 'Y']);
    assert.deepEqual(elements(claim.patient!, 'HL'), ['3', '2', '23', '0']);
    assert.deepEqual(elements(claim.patient!, 'PAT'), ['01']);
    assert.deepEqual(elements(claim.claim, 'DTP', '434'), ['434', 'RD8', '20260903-20260903']);
    assert.deepEqual(elements(claim.claim, 'DTP', '435'), ['435', 'DT', '202609031420']);
    assert.deepEqual(elements(claim.claim, 'DTP', '096'), ['096', 'TM', '1905']);
    assert.deepEqual(elements(claim.claim, 'CL1'), ['1', '7', '01']);
    assert.deepEqual(
      claim.claim.segments.filter((s) => s.id === 'HI').map((s) => s.elements.join('*')),
      ['ABK:S52521A:::::::Y', 'APR:S52521A', 'ABF:W01XXXA:::::::Y', 'BH:11:D8:20260903', 'BE:A3:::250'],
    );
    assert.deepEqual(elements(claim.claim, 'REF', 'G1'), ['G1', 'RMM-PA-55017']);
    assert.deepEqual(
      lines(claim).map((line) => elements(line, 'SV2')),
      [
        ['0450', 'HC:99284:25', '1250', 'UN', '1'],
        ['0320', 'HC:73110:RT', '412.75', 'UN', '1'],
        ['0300', 'HC:85025', '86.4', 'UN', '1'],
        ['0250', '', '37.18', 'UN', '2'],
      ],
    );
    const drug = loops(lines(claim)[3], '2410')[0];
    assert.deepEqual(
      [elements(drug, 'LIN'), elements(drug, 'CTP')],
      [
        ['', 'N4', '00409128331'],
        ['', '', '', '2', 'UN'],
      ],
    );
  });

  it('writes every field of the fullest professional claim where the 837P has a place for it', async () => {
    const { claims } = await roundTrip([fullProfessionalClaim()]);
    const [claim] = claims;
    assert.deepEqual(clm(claim), ['ACC-5520-02', '160.1', '', '', '11:B:7', 'Y', 'A', 'Y', 'Y', '', 'OA']);
    assert.deepEqual(elements(claim.claim, 'DTP', '439'), ['439', 'D8', '20261013']);
    assert.deepEqual(elements(claim.claim, 'DTP', '435'), ['435', 'D8', '20261014']);
    assert.deepEqual(elements(claim.claim, 'PWK'), ['09', 'EL', '', '', 'AC', 'ATT-5520']);
    assert.deepEqual(elements(claim.claim, 'AMT'), ['F5', '20']);
    const references = claim.claim.segments.filter((s) => s.id === 'REF').map((s) => s.elements.join('*'));
    assert.deepEqual(references, ['9F*REF-00912', 'G1*FRH-AUTH-6620193', 'F8*FRH26307000412', 'EA*MRN-207734']);
    assert.deepEqual(
      claim.claim.segments.filter((s) => s.id === 'HI').map((s) => s.elements.join('*')),
      ['ABK:M5450', 'BG:07'],
    );
    assert.deepEqual(elements(loops(claim.billingProvider, '2010AA')[0], 'NM1'), [
      '85',
      '1',
      'Alvarez',
      'Rosa',
      '',
      '',
      'MD',
      'XX',
      '1497758544',
    ]);
    assert.deepEqual(elements(loops(claim.billingProvider, '2010AB')[0], 'N3'), ['PO Box 4410']);
    assert.deepEqual(elements(claim.patient!, 'PAT'), ['19']);
    assert.deepEqual(elements(loops(claim.patient!, '2010CA')[0], 'NM1'), ['QC', '1', 'Nakamura', 'Jun', 'K', '', 'Jr']);
    assert.deepEqual(
      ['2310A', '2310B', '2310D'].map((loop) => elements(loops(claim.claim, loop)[0], 'NM1')?.slice(0, 2)),
      [
        ['DN', '1'],
        ['82', '1'],
        ['DQ', '1'],
      ],
    );
    assert.deepEqual(loops(claim.claim, '2310C'), [], 'the facility is the billing address: no 2310C');
    const [line] = lines(claim);
    assert.deepEqual(elements(line, 'SV1'), ['HC:99203:25:GP', '160.1', 'UN', '1', '', '', '1']);
    assert.deepEqual(elements(line, 'DTP'), ['472', 'RD8', '20261014-20261015']);
    assert.equal(elements(line, 'REF', 'G1'), undefined, 'the line authorization is the claim’s');
    assert.deepEqual(elements(loops(line, '2410')[0], 'CTP'), ['', '', '', '2', 'ML']);
  });

  it('writes every field of the fullest institutional claim where the 837I has a place for it', async () => {
    const { claims } = await roundTrip([fullInstitutionalClaim()]);
    const [claim] = claims;
    assert.deepEqual(clm(claim), ['ACC-5520-02', '160.1', '', '', '13:A:7', '', 'A', 'Y', 'Y']);
    assert.deepEqual(
      claim.claim.segments.filter((s) => s.id === 'HI').map((s) => s.elements.join('*')),
      [
        'ABK:M5450:::::::Y',
        'DR:563',
        'BBR:0QS734Z:D8:20261014',
        'BI:74:RD8:20261014-20261015',
        'BH:11:D8:20261013',
        'BE:A3:::250',
        'BG:07',
      ],
    );
    assert.deepEqual(elements(claim.claim, 'CL1'), ['3', '1', '01']);
    assert.deepEqual(
      ['2310A', '2310B', '2310D', '2310F'].map((loop) => elements(loops(claim.claim, loop)[0], 'NM1')?.[0]),
      ['71', '72', '82', 'DN'],
    );
    assert.deepEqual(elements(loops(claim.claim, '2310A')[0], 'PRV'), ['AT', 'PXC', '208100000X']);
    assert.deepEqual(elements(lines(claim)[0], 'SV2'), ['0510', 'HC:99203:25:GP', '160.1', 'UN', '1']);
  });

  it('writes a dependent billed to the primary plan with the secondary plan in 2320/2330 (COB sample style)', async () => {
    const { claims } = await roundTrip([dependentWithSecondaryClaim()]);
    const [claim] = claims;
    assert.deepEqual(elements(claim.subscriber, 'SBR'), ['P', '', '', 'Seaway Employers', '', '', '', '', 'CI']);
    assert.deepEqual(elements(loops(claim.subscriber, '2010BA')[0], 'NM1'), ['IL', '1', 'Smith', 'Jack', '', '', '', 'MI', '222334444']);
    assert.deepEqual(elements(loops(claim.subscriber, '2010BA')[0], 'DMG'), ['D8', '19831022', 'M']);
    assert.deepEqual(elements(loops(claim.subscriber, '2010BB')[0], 'N4'), ['Chicago', 'IL', '44444']);
    assert.deepEqual(elements(claim.patient!, 'PAT'), ['19']);
    const [other] = loops(claim.claim, '2320');
    assert.deepEqual(elements(other, 'SBR'), ['S', '19', '', '', '', '', '', '', 'CI']);
    assert.deepEqual(elements(other, 'OI'), ['', '', 'Y', '', '', 'Y']);
    assert.deepEqual(elements(loops(other, '2330A')[0], 'NM1'), ['IL', '1', 'Smith', 'Jane', '', '', '', 'MI', 'JS00111223333']);
    assert.deepEqual(elements(loops(other, '2330B')[0], 'NM1'), ['PR', '2', 'Key Insurance Company', '', '', '', '', 'PI', '999996666']);
  });

  it('writes a drug line with its 11-digit NDC, money and units in X12 R form, and a date range as RD8', async () => {
    const { claims, text } = await roundTrip([drugLineClaim()]);
    const [claim] = claims;
    assert.equal(clm(claim)[1], '766.5');
    const [office, drug] = lines(claim);
    assert.deepEqual(elements(office, 'SV1')?.slice(0, 4), ['HC:99203:25', '700', 'UN', '1']);
    assert.deepEqual(elements(office, 'DTP'), ['472', 'RD8', '20261012-20261014']);
    assert.deepEqual(elements(drug, 'SV1'), ['HC:J1550', '66.5', 'UN', '1', '', '', '2']);
    assert.deepEqual(elements(loops(drug, '2410')[0], 'LIN'), ['', 'N4', '00026063512']);
    assert.deepEqual(elements(loops(drug, '2410')[0], 'CTP'), ['', '', '', '10', 'ML']);
    assert.ok(!/\d\.\d*0[*~]/.test(text), 'no decimal written with a trailing zero');
  });

  it('writes an auto accident on an institutional claim: patient level, REF*LU and the accident occurrence code', async () => {
    const { claims } = await roundTrip([autoAccidentInstitutionalClaim()]);
    const [claim] = claims;
    assert.deepEqual(elements(claim.patient!, 'PAT'), ['G8']);
    assert.deepEqual(elements(claim.claim, 'REF', 'LU'), ['LU', 'CA']);
    const hi = claim.claim.segments.filter((s) => s.id === 'HI').map((s) => s.elements.join('*'));
    assert.ok(hi.includes('BH:01:D8:20260902'), hi.join(' '));
    assert.ok(hi.includes('BG:02'), hi.join(' '));
  });

  it('takes the interchange, group and set control numbers from the persistent counter', async () => {
    const options = { profile: PROFILE, controlNumbers: store.counter('first-partner'), now: NOW };
    const first = await write837([professionalClaim(), institutionalClaim()], options);
    const second = await write837([professionalClaim()], options);
    assert.equal(first.interchangeControlNumber, '000000001');
    assert.equal(second.interchangeControlNumber, '000000002');
    assert.deepEqual(
      first.groups.map((g) => [g.controlNumber, g.version, g.transactionSets.map((s) => s.controlNumber)]),
      [
        ['1', '005010X222A1', ['0001']],
        ['2', '005010X223A2', ['0002']],
      ],
    );
    assert.deepEqual(
      second.groups.map((g) => [g.controlNumber, g.transactionSets[0].controlNumber]),
      [['3', '0003']],
    );
    const lines = segmentLines(second.text);
    assert.ok(lines.includes('GS*HC*FLATIRONSBILL*PEAKCLEARING*20261016*1405*3*X*005010X222A1'));
    assert.ok(lines.includes('ST*837*0003*005010X222A1'));
    assert.ok(lines.includes('BHT*0019*00*0003*20261016*1405*CH'), 'BHT03 repeats ST02');
    assert.deepEqual(lines.slice(-3), ['SE*32*0003', 'GE*1*3', 'IEA*1*000000002']);
  });

  it('writes with other delimiters, all on one line, where "*" in a value is plain text', async () => {
    const delimiters = { element: '|', component: '>', repetition: '^', segment: '\u0085' } as const;
    const claim = professionalClaim();
    claim.patient.name.family = 'Nakamura*Ito';
    const written = await write837([claim], { profile: PROFILE, controlNumbers: store.counter(), now: NOW, delimiters });
    assert.ok(!written.text.includes('\n'));
    const read = await readBack(written.text);
    assert.deepEqual(describeFindings(read.findings), []);
    assert.deepEqual(elements(read.claims[0].claim, 'CLM')?.[4], '11>B>1');
    assert.equal(elements(loops(read.claims[0].subscriber, '2010BA')[0], 'NM1')?.[2], 'Nakamura*Ito', '"*" is plain text under "|"');
  });
});
