// A generated 837P for the X12 benchmarks: one interchange, one group, sets of claims with 1–6
// service lines each, every claim valid for the shipped x12-837p mapping (totals add up, ZIP+4).

export const ISA_837 = 'ISA*00*          *00*          *ZZ*CLAIMHUBBENCH  *ZZ*PAYERRECEIVER  *240101*1200*^*00501*000000001*0*P*:';
export const GS_837 = 'GS*HC*CLAIMHUBBENCH*PAYERRECEIVER*20240101*1200*1*X*005010X222A1';

/** The segments (without terminators) of transaction set `setNumber`: claims `firstClaim` … `firstClaim + count - 1`. */
export function set837(setNumber: number, firstClaim: number, count: number, tag = 'B'): string[] {
  const control = String(setNumber).padStart(4, '0');
  const set = [
    `ST*837*${control}*005010X222A1`,
    `BHT*0019*00*${control}*20240101*1200*CH`,
    'NM1*41*2*PREMIER BILLING SERVICE*****46*TGJ23',
    'PER*IC*JERRY*TE*3055552222',
    'NM1*40*2*KEY INSURANCE COMPANY*****46*66783JJT',
    'HL*1**20*1',
    'PRV*BI*PXC*203BF0100Y',
    'NM1*85*2*BEN KILDARE SERVICE*****XX*9876543213',
    'N3*234 SEAWAY ST',
    'N4*MIAMI*FL*331110000',
    'REF*EI*587654321',
  ];
  for (let n = 0, claim = firstClaim; n < count; n++, claim++) {
    const lines = 1 + (claim % 6);
    set.push(
      `HL*${n + 2}*1*22*0`,
      `SBR*P*18*GRP${claim % 977}******CI`,
      `NM1*IL*1*SMITH${claim % 331}*JANE*A***MI*JS${String(claim).padStart(9, '0')}`,
      `N3*${claim % 9000} MAIN ST`,
      `N4*MIAMI*FL*33413${String(claim % 10000).padStart(4, '0')}`,
      `DMG*D8*19${40 + (claim % 60)}0${1 + (claim % 9)}1${claim % 10}*${claim % 2 ? 'F' : 'M'}`,
      'NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666',
      `CLM*${tag}${String(claim).padStart(10, '0')}*${(lines * 43.5).toFixed(2)}***11:B:1*Y*A*Y*Y`,
      `REF*G1*PA${claim % 100000}`,
      'HI*ABK:J020*ABF:R05*ABF:Z1159',
      'NM1*82*1*KILDARE*BEN****XX*1234567893',
      'PRV*PE*PXC*204C00000X',
    );
    for (let line = 1; line <= lines; line++) {
      set.push(`LX*${line}`, 'SV1*HC:99213:25*43.50*UN*1***1:2', `DTP*472*D8*202401${String(1 + (line % 28)).padStart(2, '0')}`);
    }
  }
  set.push(`SE*${set.length + 1}*${control}`);
  return set;
}

/** A whole interchange of `claims` claims, `claimsPerSet` a set, `~` + newline terminated. */
export function generate837(claims: number, claimsPerSet = 5000, tag = 'B'): string {
  const parts: string[] = [ISA_837, GS_837];
  let sets = 0;
  for (let claim = 0; claim < claims; claim += claimsPerSet) parts.push(...set837(++sets, claim, Math.min(claimsPerSet, claims - claim), tag));
  parts.push(`GE*${sets}*1`, 'IEA*1*000000001');
  return parts.join('~\n') + '~\n';
}
