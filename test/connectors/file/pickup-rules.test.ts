// The pure rules a file-drop source applies: which names it takes, when a file is complete, which
// Content-Type it hands on, and the names taken files and their answers are archived under.
import assert from 'node:assert/strict';
import { acknowledgementName, archiveName, errorName } from '../../../connectors/file/archive-names.js';
import { contentTypeOf } from '../../../connectors/file/content-type.js';
import { globPattern, isInProgressName } from '../../../connectors/file/pattern.js';
import { StabilityCheck } from '../../../connectors/file/stability.js';

describe('file source rules', () => {
  it('matches names by a glob of * and ?, whole names only, other characters literally', () => {
    const x12 = globPattern('*.835');
    assert.ok(x12.test('remit-2026.835'));
    assert.ok(!x12.test('remit.835.bak'));
    assert.ok(!x12.test('remit-835'), 'the dot is literal');
    const dated = globPattern('ERA_????.x12');
    assert.ok(dated.test('ERA_1124.x12'));
    assert.ok(!dated.test('ERA_11245.x12'));
    assert.ok(globPattern('claims(1)+[a].json').test('claims(1)+[a].json'), 'regex characters are literal');
    assert.ok(globPattern('*').test('anything at all.txt'));
  });

  it('leaves names an uploader is still writing under: hidden, .tmp, .part, .filepart', () => {
    for (const name of ['.claims.837', 'claims.837.tmp', 'claims.837.part', 'claims.837.FILEPART', '.x.json.123.tmp'])
      assert.ok(isInProgressName(name), name);
    for (const name of ['claims.837', 'tmp.837', 'partners.json']) assert.ok(!isInProgressName(name), name);
  });

  it('takes a file once its size and mtime stayed the same across two listings a settle time apart', () => {
    const check = new StabilityCheck(1_000);
    const file = (size: number, mtimeMs = 5_000) => ({ name: 'a.837', size, mtimeMs });
    assert.deepEqual(check.observe([file(10)], 0), { ready: [], waiting: 1 }, 'first sighting');
    assert.deepEqual(check.observe([file(10)], 600), { ready: [], waiting: 1 }, 'unchanged, but not for long enough');
    assert.deepEqual(check.observe([file(20, 5_600)], 1_200).ready, [], 'grew: the wait starts again');
    assert.deepEqual(check.observe([file(20, 5_600)], 2_100).ready, [], '0.9 s since it last changed');
    assert.deepEqual(check.observe([file(20, 5_600)], 2_200).ready, [file(20, 5_600)]);
  });

  it('forgets names that left the folder, so a new file of the same name waits again', () => {
    const check = new StabilityCheck(0);
    const entry = { name: 'b.json', size: 3, mtimeMs: 1 };
    check.observe([entry], 0);
    assert.equal(check.observe([entry], 1).ready.length, 1);
    check.forget('b.json');
    assert.equal(check.observe([entry], 2).ready.length, 0);
    check.observe([], 3);
    assert.equal(check.observe([entry], 4).ready.length, 0, 'gone from a listing, then back: first sighting');
  });

  it('hands content on by what it is, with the extension as the hint when the content says nothing', () => {
    assert.equal(contentTypeOf('claim.txt', '  {"resourceType":"Bundle"}'), 'application/fhir+json');
    assert.equal(contentTypeOf('claims.dat', 'ISA*00*'), 'application/edi-x12');
    assert.equal(contentTypeOf('claims.json', 'ISA*00*'), 'application/edi-x12', 'the content wins');
    assert.equal(contentTypeOf('adt.hl7', 'garbage first line\rMSH|^~\\&|'), 'x-application/hl7-v2+er7');
    assert.equal(contentTypeOf('remit.835', ''), 'application/edi-x12');
    assert.equal(contentTypeOf('notes.txt', 'hello'), undefined);
  });

  it('archives under the file time, the message id and the original name, answers beside it', () => {
    const entry = { name: 'claims.837', size: 1, mtimeMs: Date.UTC(2026, 10, 24, 10, 15, 0, 987) };
    const archived = archiveName(entry, '6f0c1a2b-0000-4000-8000-000000000001');
    assert.equal(archived, '20261124T101500Z_6f0c1a2b-0000-4000-8000-000000000001_claims.837');
    const x12 = 'application/edi-x12';
    assert.equal(acknowledgementName(archived, { contentType: x12, text: 'ISA*00*~TA1*1~GS*FA*~ST*999*0001~' }), `${archived}.999`);
    assert.equal(
      acknowledgementName(archived, { contentType: x12, text: 'ISA|00|~ST|999|0001~' }),
      `${archived}.999`,
      'the sender’s separator',
    );
    assert.equal(acknowledgementName(archived, { contentType: x12, text: 'ISA*00*~TA1*000000905*R*022~IEA*0*1~' }), `${archived}.ta1`);
    assert.equal(acknowledgementName(archived, { contentType: 'x-application/hl7-v2+er7', text: 'MSH|' }), `${archived}.ack`);
    assert.equal(errorName(archived), `${archived}.error.json`);
  });
});
