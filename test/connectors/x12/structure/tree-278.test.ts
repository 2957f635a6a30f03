import assert from 'node:assert/strict';
import jsonata from 'jsonata';
import { loopJson } from '../../../../connectors/x12/structure/claim-json.js';
import type { LoopNode } from '../../../../connectors/x12/structure/loop-tree.js';
import { corpusFiles, pyx12Log, readCorpus } from '../corpus-files.js';
import { claimhubStructureLines } from './pyx12-structure.js';
import { allLoops, coded, elements, loops, readStructure } from './read-structure.js';

const reviews = corpusFiles().filter((file) => file.startsWith('278/'));
const corpus = (name: string) => readCorpus(`278/stupidedi-278-${name}.edi`);

/** Each HL loop as `loop:HL03`, nested as in the tree: `2000A:20 > 2000B:21 > …`. */
function levels(node: LoopNode, path: string[] = []): string[] {
  return node.loops.flatMap((child) => {
    if (child.segments[0].id !== 'HL') return [];
    const here = [...path, `${child.loop}:${child.segments[0].elements[2]}`];
    return [here.join(' > '), ...levels(child, here)];
  });
}

const CHAIN = '2000A:20 > 2000B:21 > 2000C:22 > 2000E:EV';

describe('X12 278 loop tree', () => {
  it('reads every corpus 278 into one tree, each HL level nested under its parent level', () => {
    for (const file of reviews) {
      const { trees } = readStructure(readCorpus(file));
      assert.equal(trees.length, 1, file);
      const chain = levels(trees[0]);
      assert.deepEqual(chain.slice(0, 4), ['2000A:20', '2000A:20 > 2000B:21', '2000A:20 > 2000B:21 > 2000C:22', CHAIN], file);
      assert.ok(
        chain.slice(4).every((level) => level === `${CHAIN} > 2000F:SS`),
        file,
      );
    }
  });

  it('keeps the patient event and service levels of each review with their content', () => {
    const event = (name: string) => allLoops(readStructure(corpus(name)).trees[0], '2000E')[0];
    const services = (name: string) => allLoops(readStructure(corpus(name)).trees[0], '2000F');

    const admission = event('admission-request-for-review');
    assert.deepEqual(elements(admission, 'UM')[0].slice(0, 3), ['AR', 'I', '2']);
    assert.deepEqual(elements(admission, 'CL1'), [['2']]);
    assert.deepEqual(
      loops(admission, '2010EA').map((provider) => provider.segments[0].elements[0]),
      ['FA'],
    );
    assert.deepEqual(
      services('admission-request-for-review').map((service) => elements(service, 'SV2')[0][1]),
      ['HC:33510'],
    );

    assert.deepEqual(
      loops(event('emergency-admission-request-for-review'), '2010EA').map((p) => p.segments[0].elements.slice(0, 3)),
      [
        ['FA', '2', 'GENERAL HOSPITAL'],
        ['71', '1', 'JONES'],
        ['SJ', '1', 'BROWN'],
      ],
    );
    assert.deepEqual(elements(event('emergency-admission-response-to-request-for-review'), 'HCR'), [['A4', '', '0U']]);

    assert.deepEqual(elements(event('request-for-home-health-care'), 'CR6')[0].slice(0, 2), ['1', '20050502']);
    assert.deepEqual(
      services('request-for-home-health-care').map((service) => elements(service, 'SV1')[0][0]),
      ['HC:G0154', 'HC:B4184'],
    );

    const transport = event('response-to-non-emergency-transportation');
    assert.deepEqual(
      loops(transport, '2010EC').map((location) => [location.segments[0].elements[0], elements(location, 'N4')[0][0]]),
      [
        ['PW', 'SACRAMENTO'],
        ['ND', 'SACRAMENTO'],
        ['R3', 'SACRAMENTO'],
        ['FS', 'SACRAMENTO'],
      ],
    );
    assert.deepEqual(
      loops(transport, '2000F').map((service) => [service.segments[0].elements[1], elements(service, 'SV1')[0][0]]),
      [
        ['4', 'HC:A0428:RX'],
        ['4', 'HC:A0428:PD'],
        ['4', 'HC:A0428:DR'],
      ],
    );
  });

  it('gives JSONata a path down the levels: 2000A.2000B.2000C.2000E.2000F', async () => {
    const json = loopJson(readStructure(corpus('request-for-home-health-care')).trees[0]);
    const codes = await jsonata('`2000A`.`2000B`.`2000C`.`2000E`.`2000F`.SV1.SV101').evaluate(json);
    assert.deepEqual([...codes], ['HC:G0154', 'HC:B4184']);
    const requester = await jsonata('`2000A`.`2000B`.`2010B`.NM1.NM103').evaluate(json);
    assert.equal(requester, 'WATSON');
  });

  it('finds no loop defect but the misnested services of the transportation request (pyx12 has no 278 map)', () => {
    // The request's two later services name the service before them in HL02 (HL*6*5*SS, HL*7*6*SS),
    // yet 2000F is a child of 2000E only, and the response to the same request writes HL*6*4 and
    // HL*7*4. pyx12 cannot check any 278: it stops with "Map not found" for 005010X217.
    const expected: Record<string, string[]> = {
      '278/stupidedi-278-request-for-non-emergency-transportation.edi': ['#32 HL02 not the enclosing HL', '#34 HL02 not the enclosing HL'],
    };
    for (const file of reviews) {
      assert.match(pyx12Log(file) ?? '', /Map not found.*vriic=005010X217/, file);
      const read = readStructure(readCorpus(file));
      assert.deepEqual(claimhubStructureLines(read.findings, read.ordinal), expected[file] ?? [], file);
    }
  });

  it('reads a request by the request layout and a response by the response one (BHT02 13 / 11)', () => {
    // HCR (the review outcome) belongs to the response: in a request it has no place.
    const request = corpus('request-for-medical-services-reservation').replace('UM*IN*I*1*11:B~', 'UM*IN*I*1*11:B~HCR*A1*6735172961~');
    const read = readStructure(request);
    assert.deepEqual(coded(read), [['2', 'unexpected-segment', '2000E']]);
    assert.equal(read.findings[0].segmentId, 'HCR');
    assert.deepEqual(readStructure(corpus('response-to-medical-services-reservation')).findings, []);
  });

  it('nests a patient event under the dependent level when the patient is a dependent', () => {
    const text = corpus('request-for-medical-services-reservation')
      .replace('HL*4*3*EV*1~', 'HL*4*3*23*1~NM1*QC*1*SMITH*ANN~DMG*D8*19900101*F~INS*N*19~HL*5*4*EV*1~')
      .replace('HL*5*4*SS*0~', 'HL*6*5*SS*0~')
      .replace('SE*15*0001', 'SE*19*0001');
    const read = readStructure(text);
    assert.deepEqual(read.sets[0].findings, []);
    assert.deepEqual(levels(read.trees[0]).at(-1), '2000A:20 > 2000B:21 > 2000C:22 > 2000D:23 > 2000E:EV > 2000F:SS');
    assert.deepEqual(elements(allLoops(read.trees[0], '2010D')[0], 'INS'), [['N', '19']]);
  });

  it('reports a patient event without UM (IK304 3), a second patient event (IK304 4) and a sixth transport location (IK304 4)', () => {
    const noReview = readStructure(corpus('request-for-home-health-care').replace('UM*HS*I**12:B*****Y~', ''));
    assert.deepEqual(coded(noReview), [['3', 'required-segment', '2000E']]);
    assert.equal(noReview.findings[0].segmentId, 'UM');

    const twoEvents = readStructure(corpus('referral-request-for-review').replace('SE*16*0001', 'HL*5*3*EV*0~UM*SC*I*3*11:B~SE*18*0001'));
    assert.deepEqual(coded(twoEvents), [['4', 'loop-repeat', '2000E']]);

    const location = 'NM1*FS*2*HOME~N3*8652 Starwood Lane~N4*SACRAMENTO*CA*95826~';
    const transport = corpus('request-for-non-emergency-transportation').replace('HL*5*4*SS*0~', `${location}${location}HL*5*4*SS*0~`);
    const tooMany = readStructure(transport).findings.filter((f) => f.rule !== 'hl-parent');
    assert.deepEqual(
      tooMany.map((f) => [f.code, f.rule, f.loopId]),
      [['4', 'loop-repeat', '2010EC']],
    );
  });

  it('reports a service line in the patient event (IK304 2) and a transport location out of order (IK304 7)', () => {
    const serviceInEvent = readStructure(corpus('request-for-home-health-care').replace('CR6*', 'SV1*HC:G0154~CR6*'));
    assert.deepEqual(coded(serviceInEvent), [['2', 'unexpected-segment', '2000E']]);

    // After the last service, a pick-up address belongs to no open loop but fits the patient event earlier.
    const late = readStructure(
      corpus('response-to-non-emergency-transportation').replace(
        'SE*34*0001',
        'NM1*PW*2*HOME~N3*1 MAIN ST~N4*SACRAMENTO*CA*95826~SE*37*0001',
      ),
    );
    assert.deepEqual(coded(late), [['7', 'loop-order', '2010EC']]);
  });
});
