// Application logs: every request line carries its request id, and no patient data reaches the
// log in clear — not from accepted messages, refused ones (whose errors quote values), a receiver
// that echoes the patient back in its refusal, reads or failed authentications — with the hub
// logging at its most verbose.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ACCEPTANCE_BUNDLE } from '../support/corpus.js';
import { startTestHub, type TestHub } from '../support/hub.js';

// From the bundle: the patient's name, member id, MRN, date of birth and street.
const PHI = ['Nakamura', 'FRH207734-01', 'MRN-207734', '1979-08-30', '88 Aspen Way'];

describe('gateway: application logs carry request ids and no PHI', function () {
  this.timeout(60_000);
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let t: TestHub;
  let receiver: Server;

  before(async () => {
    // A payer API that refuses every claim and quotes the patient in its problem.
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: 'Rejected', detail: `member FRH207734-01 (Nakamura, born 1979-08-30) is not eligible` }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    t = await startTestHub(
      'pglite',
      `destinations:\n  - id: payer\n    type: http\n    url: http://127.0.0.1:${port}/claims\nroutes:\n  - name: all\n    to: [payer]\n`,
      { log: pino({ level: 'trace' }, sink) },
    );
  });
  after(async () => {
    await t?.stop();
    receiver?.close();
  });

  it('logs each request with its request id, and none of the patient data it carried', async () => {
    const bundle = await readFile(ACCEPTANCE_BUNDLE, 'utf8');
    const accepted = await t.call('POST', '/v1/messages', bundle, {
      'content-type': 'application/fhir+json',
      'x-request-id': 'logs-accepted',
    });
    assert.equal(accepted.status, 202);
    const { id } = (await accepted.json()) as { id: string };
    // Refused: a date of birth that cannot be, and a claim total that does not add up — errors that quote values.
    const broken = bundle
      .replace('"birthDate": "1979-08-30"', '"birthDate": "1979-08-30T99"')
      .replace(/"total":\s*\{\s*"value":\s*[0-9.]+/, '"total": {"value": 1.23');
    const refused = await t.call('POST', '/v1/messages', broken, {
      'content-type': 'application/fhir+json',
      'x-request-id': 'logs-refused',
    });
    assert.equal(refused.status, 422);
    assert.equal((await t.call('GET', `/v1/messages/${id}`, undefined, { 'x-request-id': 'logs-read' })).status, 200);
    assert.equal(
      (
        await fetch(`${t.url}/v1/messages`, {
          method: 'POST',
          body: bundle,
          headers: { authorization: 'Bearer chk_wrong', 'x-request-id': 'logs-unauthenticated' },
        })
      ).status,
      401,
    );
    // The payer's refusal makes a dead letter (and a log line about it).
    for (let i = 0; i < 100 && !raw.some((line) => line.includes('dead-lettered')); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(
      raw.some((line) => line.includes('"msg":"dead-lettered"')),
      'the refused delivery was logged',
    );
    const deadLetters = (await (await t.call('GET', '/v1/dead-letters')).json()) as { items: { error: { message: string } }[] };
    assert.match(JSON.stringify(deadLetters.items), /Nakamura/, "the dead letter keeps the receiver's answer for operators");

    for (const requestId of ['logs-accepted', 'logs-refused', 'logs-read', 'logs-unauthenticated']) {
      assert.ok(
        lines.some((line) => line.msg === 'request' && line.requestId === requestId),
        `a request line for ${requestId}`,
      );
    }
    const leaks = raw.flatMap((line) => PHI.filter((value) => line.includes(value)).map((value) => `${value} in ${line.slice(0, 300)}`));
    assert.deepEqual(leaks, []);
    assert.ok(!raw.some((line) => line.includes(t.key)), 'no API key in the logs');
  });
});
