// `claimhub mllp-send`: what a user types to try the MLLP listener, against a running hub.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { CORPUS } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('claimhub mllp-send (command line)', function () {
  this.timeout(60_000);
  let t: TestHub;
  before(async () => {
    t = await startTestHub('pglite');
  });
  after(async () => t?.stop());

  it('sends each file as one frame and prints each ACK, one segment a line', async () => {
    const dft = join(ROOT, 'test/fixtures/hl7v2/dft-p03-professional.hl7');
    const oru = join(CORPUS, 'hl7v2/msconv-ORU-R01-01.hl7');
    const { stdout } = await run(process.execPath, ['bin/claimhub.js', 'mllp-send', dft, oru, '--port', String(t.hub.mllpPorts.mllp)], { cwd: ROOT });
    const lines = stdout.split('\n');
    assert.equal(lines[0], `${dft}:`);
    assert.match(lines[1], /^MSH\|\^~\\&\|CLAIMHUB\|CLAIMHUB\|EPICCHG\|NWMC\|/);
    assert.equal(lines[2], 'MSA|AA|CHG000481');
    assert.ok(lines.includes(`${oru}:`));
    assert.ok(lines.some((line) => /^MSA\|AR\|/.test(line)));
  });

  it('says why when nothing listens', async () => {
    await assert.rejects(
      run(process.execPath, ['bin/claimhub.js', 'mllp-send', 'x.hl7', '--port', '1'], { cwd: ROOT }),
      (error: { stderr: string }) => /ECONNREFUSED/.test(error.stderr),
    );
  });
});
