import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { checkElements } from '../../../../connectors/x12/elements/check.js';
import type { ElementContext, ElementFinding } from '../../../../connectors/x12/elements/element-finding.js';
import { streamX12 } from '../../../../connectors/x12/read.js';
import type { Delimiters } from '../../../../connectors/x12/segment.js';
import { LOOP_DEFINITIONS } from '../../../../connectors/x12/structure/claim-reader.js';
import { corpusFiles, pyx12Log, readCorpus, UNREADABLE } from '../corpus-files.js';
import { claimhubElementLines, placedLoops, pyx12ElementLines, segmentOrdinals } from './element-lines.js';

/**
 * Streams a file through the reader and checks every segment of every transaction set. In an 837
 * each segment gets the loop the structure reader placed it in (a first pass); a segment it found
 * no place for is left out, as pyx12 leaves it out (its IK304 2 is the answer, not IK4). Sets
 * without loop definitions (835, 278, 999) are checked with the loop unknown. Answers the findings
 * and the guide of the file's transaction sets (every corpus file holds one guide).
 */
async function checked(text: string): Promise<{ found: ElementFinding[]; guide: string }> {
  const loops = placedLoops(text);
  const found: ElementFinding[] = [];
  let delimiters: Delimiters | undefined;
  let context: ElementContext = { guide: null, loopId: null, controls: { interchange: null, group: null, transactionSet: null } };
  let structured = false;
  await streamX12(Readable.from([text]), {
    onEvent: (event) => {
      if (event.kind === 'interchange-start') delimiters = event.interchange.delimiters;
      if (event.kind !== 'transaction-set-start') return;
      const guide = event.header.implementationReference ?? event.group?.version ?? null;
      const controls = {
        interchange: event.interchange.controlNumber,
        group: event.group?.controlNumber ?? null,
        transactionSet: event.header.controlNumber,
      };
      context = { guide, loopId: null, controls };
      structured = event.header.id === '837' && guide !== null && guide in LOOP_DEFINITIONS;
    },
    onSegment: (segment) => {
      const loopId = loops.get(segment.offset) ?? null;
      if (structured && loopId === null && segment.id !== 'SE') return;
      found.push(...checkElements(segment, delimiters!, { ...context, loopId }));
    },
  });
  return { found, guide: context.guide ?? '' };
}

async function elementFindings(text: string): Promise<ElementFinding[]> {
  return (await checked(text)).found;
}

interface Explanation {
  why: string;
  /** `guide`: the file's implementation guide. */
  applies: (finding: ElementFinding, guide: string) => boolean;
}

/** Findings claimhub makes and pyx12 does not, each with the reason. */
const OURS_ONLY: readonly Explanation[] = [
  {
    why:
      '005010X222A1 asks for the full nine-digit ZIP code in 2010AA, 2310C and 2420C N403 (an X12 RFI confirms it for ' +
      '2010AA); pyx12 has the rule in its 837I map only (it flags the same ZIP codes in the 837I files)',
    applies: (f, guide) =>
      guide === '005010X222A1' && f.path === 'N403' && f.code === 'I12' && ['2010AA', '2310C', '2420C'].includes(f.loopId ?? ''),
  },
  {
    why: "pyx12's 837P map gives no state code list for the ambulance pick-up and drop-off addresses (2310E/F, 2420G/H); it does for 2310C and 2420C",
    applies: (f, guide) =>
      guide === '005010X222A1' && f.path === 'N402' && f.code === '7' && ['2310E', '2310F', '2420G', '2420H'].includes(f.loopId ?? ''),
  },
];

const files = corpusFiles().filter((file) => !UNREADABLE.has(file.split('/')[1]));

describe('X12 element checks on the corpus', () => {
  it('finds the element defects pyx12 finds in every corpus file, and only those it can explain otherwise', async () => {
    const used = new Set<Explanation>();
    for (const file of files) {
      const text = readCorpus(file);
      const { ordinal, idAt } = segmentOrdinals(text);
      const { found, guide } = await checked(text);
      const ours = new Set(claimhubElementLines(found, ordinal));
      const theirs = new Set(pyx12ElementLines(pyx12Log(file) ?? '', idAt));
      assert.deepEqual(
        [...theirs].filter((line) => !ours.has(line)),
        [],
        `${file}: pyx12 findings claimhub misses`,
      );
      const unexplained = found.filter((finding) => {
        if (theirs.has(claimhubElementLines([finding], ordinal)[0])) return false;
        const explanation = OURS_ONLY.find((e) => e.applies(finding, guide));
        if (explanation === undefined) return true;
        used.add(explanation);
        return false;
      });
      assert.deepEqual(
        unexplained.map((f) => `#${ordinal(f.offset)} ${f.loopId} ${f.message}`),
        [],
        `${file}: findings only claimhub has`,
      );
    }
    assert.deepEqual(
      OURS_ONLY.filter((e) => !used.has(e)).map((e) => e.why),
      [],
      'every explained difference still occurs',
    );
  });

  it('finds nothing wrong in the 835, 278 and 999 examples, which pyx12 reads without element errors or cannot read', async () => {
    for (const file of files.filter((f) => /^(835|278|999)\//.test(f))) assert.deepEqual(await elementFindings(readCorpus(file)), [], file);
  });

  it('locates the defects of ims-x12_missing_elements.txt: segment, position in the set, element, component, line and offset', async () => {
    const text = readCorpus('invalid/ims-x12_missing_elements.txt');
    const found = await elementFindings(text);
    const located = found.map((f) => [f.segmentId, f.position, f.path, f.code, f.badValue, f.line, text.slice(f.offset, f.offset + 6)]);
    assert.deepEqual(located.slice(0, 6), [
      ['NM1', 5, 'NM102', '1', undefined, 7, 'NM1*40'],
      ['N4', 9, 'N403', 'I12', '20705', 11, 'N4*CAL'],
      ['HI', 21, 'HI01-2', '1', undefined, 23, 'HI*BK*'],
      ['HI', 21, 'HI02-1', '5', '8901', 23, 'HI*BK*'],
      ['HI', 21, 'HI02-1', '7', '8901', 23, 'HI*BK*'],
      ['HI', 21, 'HI02-2', '1', undefined, 23, 'HI*BK*'],
    ]);
    const clm05 = found.find((f) => f.segmentId === 'CLM')!;
    assert.deepEqual(
      [clm05.path, clm05.code, clm05.elementReference, clm05.composite, clm05.loopId, clm05.transactionSetControlNumber],
      ['CLM05', '1', 1331, 'C023', '2300', '987654'],
    );
  });

  it('locates the bad code values of ims-x12_bad_valid_code.txt and the ZIP code of ims-x12_segment_errors.txt', async () => {
    const bad = await elementFindings(readCorpus('invalid/ims-x12_bad_valid_code.txt'));
    assert.deepEqual(
      bad.filter((f) => f.code === '7').map((f) => [f.line, f.path, f.badValue, f.elementReference]),
      [
        [23, 'HI02-1', '8901', 1270],
        [23, 'HI04-1', '87200', 1270],
        [32, 'HI02-1', '1987', 1270],
        [32, 'HI04-1', '4134', 1270],
      ],
    );
    const segmentErrors = await elementFindings(readCorpus('invalid/ims-x12_segment_errors.txt'));
    assert.deepEqual(
      segmentErrors.map((f) => [f.line, f.path, f.code, f.loopId]),
      [[10, 'N403', 'I12', '2010AA']],
    );
  });
});
