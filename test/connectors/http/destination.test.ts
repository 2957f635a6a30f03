// The HTTP destination against a fake remote system on 127.0.0.1 (fake-receiver.ts): what it sends,
// how each answer is classified (delivered, retryable, refused for good), idempotent retries, TLS,
// and that errors name the request without header values, URL secrets or claim contents.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryRefusedError, TransientError } from '../../../canonical-model/errors.js';
import type { HttpDestinationConfig } from '../../../connectors/http/config.js';
import { HttpDestination } from '../../../connectors/http/destination.js';
import type { Delivery } from '../../../connectors/destination.js';
import { selfSignedCertificate } from '../../support/tls.js';
import { FakeReceiver } from './fake-receiver.js';

const PATIENT = 'Okonkwo-Fairweather';

function claim(claimNumber: string) {
  return { resourceType: 'Claim', claimNumber, patient: { name: { family: PATIENT, given: ['Adaeze'] } }, total: '125.00' };
}

let deliveries = 0;
function delivery(objects = 1, attempt = 1): Delivery {
  const messageId = `msg-${++deliveries}`;
  return {
    messageId,
    destinationId: 'erp',
    idempotencyKey: `${messageId}.erp`,
    attempt,
    objects: Array.from({ length: objects }, (_, i) => ({
      id: `claim-${deliveries}-${i + 1}`,
      seq: i + 1,
      canonical: claim(`PCN-${deliveries}-${i + 1}`),
    })),
  };
}

/** What the error says, checked to be free of the token, the URL's query and the claim's contents. */
async function failure<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T, receiver: FakeReceiver): Promise<T> {
  const error = await promise.then(
    () => assert.fail('the delivery succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof type, `${String(error)} is not a ${type.name}`);
  const printed = JSON.stringify({ message: error.message, ...(error as object) });
  for (const secret of [receiver.token, 'qs3cret', PATIENT]) assert.ok(!printed.includes(secret), `${secret} in ${printed}`);
  return error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('HTTP destination', function () {
  this.timeout(20_000);
  let receiver: FakeReceiver;
  const open: HttpDestination[] = [];
  const destination = (config: Partial<HttpDestinationConfig> = {}) => {
    const made = new HttpDestination({
      id: 'erp',
      url: receiver.url(),
      headers: { Authorization: `Bearer ${receiver.token}` },
      ...config,
    });
    open.push(made);
    return made;
  };

  beforeEach(async () => {
    receiver = await FakeReceiver.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close()));
    await receiver.close();
  });

  describe('what it sends', () => {
    it('POSTs one JSON document per delivery with its Idempotency-Key, and records the 201 with its Location', async () => {
      const sent = delivery(2);
      const receipt = await destination().deliver(sent);
      assert.equal(receiver.requests.length, 1);
      const [request] = receiver.requests;
      assert.equal(request.method, 'POST');
      assert.equal(request.path, '/hooks/claims');
      assert.equal(request.headers['idempotency-key'], sent.idempotencyKey);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.match(String(request.headers['user-agent']), /^claimhub\/\d+\.\d+\.\d+/);
      assert.equal(request.headers['claimhub-attempt'], '1');
      assert.deepEqual(request.document, {
        messageId: sent.messageId,
        destination: 'erp',
        idempotencyKey: sent.idempotencyKey,
        objects: sent.objects.map((o) => ({ id: o.id, seq: o.seq, canonical: o.canonical })),
      });
      assert.deepEqual(receipt, {
        status: 201,
        headers: { location: `${receiver.origin}/records/rcv-1`, 'x-request-id': 'req-rcv-1' },
        body: { id: 'rcv-1', status: 'accepted' },
      });
    });

    it('sends a retry with the same key and the same bytes (the attempt travels in a header); the receiver counts it once', async () => {
      const first = delivery();
      const target = destination();
      await target.deliver(first);
      const again = await target.deliver({ ...first, attempt: 2 });
      const [one, two] = receiver.requestsWith(first.idempotencyKey);
      assert.equal(one.raw, two.raw, 'byte-identical body');
      assert.deepEqual([one.headers['claimhub-attempt'], two.headers['claimhub-attempt']], ['1', '2']);
      assert.equal(receiver.accepted.size, 1);
      assert.deepEqual(again, {
        status: 200,
        headers: { location: `${receiver.origin}/records/rcv-1`, 'x-request-id': 'req-rcv-1' },
        body: { id: 'rcv-1', status: 'accepted' },
      });
    });

    it('uses PUT when configured', async () => {
      await destination({ method: 'PUT' }).deliver(delivery());
      assert.equal(receiver.requests[0].method, 'PUT');
    });

    it('keeps a text answer as text and cuts a long one at 4 KB', async () => {
      receiver.script.push({ status: 200, body: 'OK, queued' }, { status: 202, body: 'x'.repeat(10_000) });
      const target = destination();
      assert.deepEqual(await target.deliver(delivery()), { status: 200, headers: {}, body: 'OK, queued' });
      const long = (await target.deliver(delivery())) as { body: string; bodyTruncated?: boolean };
      assert.equal(long.body.length, 4096);
      assert.equal(long.bodyTruncated, true);
    });
  });

  describe('one request per object (perObject)', () => {
    it('sends each object under <key>.<seq>; after a failure the objects already accepted go again under their keys and are counted once', async () => {
      const sent = delivery(3);
      const target = destination({ perObject: true });
      receiver.script.push({}, { status: 503, body: 'maintenance' });
      const error = await failure(target.deliver(sent), TransientError, receiver);
      assert.match(
        error.message,
        /object 2 of 3, Idempotency-Key msg-\d+\.erp\.2\): 503 Service Unavailable: maintenance; the 1 object\(s\) before it were accepted/,
      );

      const receipt = (await target.deliver({ ...sent, attempt: 2 })) as { objects: { seq: number; status: number }[] };
      assert.deepEqual(
        receipt.objects.map((o) => [o.seq, o.status]),
        [
          [1, 200],
          [2, 201],
          [3, 201],
        ],
      );
      assert.deepEqual(
        receiver.requests.map((r) => r.key),
        [1, 2, 1, 2, 3].map((seq) => `${sent.idempotencyKey}.${seq}`),
      );
      assert.equal(receiver.accepted.size, 3, 'each object accepted once');
      const [document] = receiver.requests;
      assert.deepEqual(document.document, {
        messageId: sent.messageId,
        destination: 'erp',
        idempotencyKey: `${sent.idempotencyKey}.1`,
        object: { id: sent.objects[0].id, seq: 1, canonical: sent.objects[0].canonical },
      });
    });

    it('names the object a receiver refused, as $[index] in the issues', async () => {
      receiver.script.push({}, { status: 422, body: { title: 'Unprocessable', detail: 'unknown payer' } });
      const error = await failure(destination({ perObject: true }).deliver(delivery(2)), DeliveryRefusedError, receiver);
      assert.deepEqual(error.issues, [{ path: '$[1]', rule: 'http-422', message: 'Unprocessable: unknown payer' }]);
    });
  });

  describe('answers worth a retry (TransientError)', () => {
    it('503: names method, URL without its query, status and the start of the body', async () => {
      receiver.script.push({ status: 503, body: `down for maintenance ${'.'.repeat(1000)}` });
      const url = receiver.url('/hooks/claims?code=qs3cret');
      const error = await failure(destination({ url }).deliver(delivery()), TransientError, receiver);
      assert.match(error.message, /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/claims\?…: 503 Service Unavailable: down for maintenance \.+…$/);
      assert.ok(error.message.length < 420, 'body excerpt capped');
      assert.equal(error.retryAfterMs, undefined);
    });

    it('429 with Retry-After in seconds: retryAfterMs', async () => {
      receiver.script.push({ status: 429, headers: { 'retry-after': '7' }, body: { title: 'Too Many Requests' } });
      const error = await failure(destination().deliver(delivery()), TransientError, receiver);
      assert.equal(error.retryAfterMs, 7000);
      assert.match(error.message, /: 429 Too Many Requests \(Retry-After 7 s\): Too Many Requests$/);
    });

    it('503 with Retry-After as an HTTP date: the time until then', async () => {
      const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 30_000);
      receiver.script.push({ status: 503, headers: { 'retry-after': at.toUTCString() } });
      const error = await failure(destination().deliver(delivery()), TransientError, receiver);
      assert.ok(error.retryAfterMs! > 28_000 && error.retryAfterMs! <= 30_000, String(error.retryAfterMs));
    });

    it('408, 425, 500, 502, 504 are retried; so is 409 (the Idempotency-Key draft: a request with this key is in progress)', async () => {
      const target = destination();
      for (const status of [408, 425, 500, 502, 504, 409]) {
        receiver.script.push({ status });
        const error = await failure(target.deliver(delivery()), TransientError, receiver);
        assert.match(error.message, new RegExp(`: ${status} `));
      }
    });

    it('a receiver that answers too late: no response within the timeout', async () => {
      receiver.script.push({ delayMs: 2_000 });
      const started = Date.now();
      const error = await failure(destination({ timeoutMs: 300 }).deliver(delivery()), TransientError, receiver);
      assert.match(error.message, /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/claims: no response within 300 ms \(timeout\)$/);
      assert.ok(Date.now() - started < 1_500);
    });

    it('the timeout covers the whole exchange: headers at once, the body too late', async () => {
      receiver.script.push({ status: 201, body: { id: 'late' }, bodyDelayMs: 2_000 });
      const error = await failure(destination({ timeoutMs: 300 }).deliver(delivery()), TransientError, receiver);
      assert.match(error.message, /the response body was not complete within 300 ms \(timeout\)$/);
    });

    it('a connection reset in the middle of the answer; the retry is recognised by its key and counted once', async () => {
      const sent = delivery();
      const target = destination();
      receiver.script.push({ cut: 'mid-body' });
      const error = await failure(target.deliver(sent), TransientError, receiver);
      assert.match(error.message, /: the connection was closed while the response body was being read$/);
      const receipt = (await target.deliver({ ...sent, attempt: 2 })) as { status: number };
      assert.equal(receipt.status, 200);
      assert.equal(receiver.accepted.size, 1);
      assert.equal(receiver.requestsWith(sent.idempotencyKey).length, 2);
    });

    it('a connection dropped before any answer', async () => {
      receiver.script.push({ cut: 'before-answer' });
      const error = await failure(destination().deliver(delivery()), TransientError, receiver);
      assert.match(error.message, /: the connection was closed before a response came$/);
    });

    it('connection refused', async () => {
      const port = await closedPort();
      const error = await failure(
        destination({ url: `http://127.0.0.1:${port}/hooks/claims` }).deliver(delivery()),
        TransientError,
        receiver,
      );
      assert.equal(error.message, `POST http://127.0.0.1:${port}/hooks/claims: connection refused`);
    });

    it('a host DNS cannot find', async () => {
      const error = await failure(
        destination({ url: 'https://erp.claimhub-test.invalid/hooks/claims' }).deliver(delivery()),
        TransientError,
        receiver,
      );
      assert.match(error.message, /^POST https:\/\/erp\.claimhub-test\.invalid\/hooks\/claims: (host not found \(DNS\)|DNS lookup failed)/);
    });
  });

  describe('answers refused for good (DeliveryRefusedError)', () => {
    it('401 without the right token, with the receiver’s problem detail and without the header value', async () => {
      const error = await failure(
        destination({ headers: { Authorization: 'Bearer wrong-token-qs3cret' } }).deliver(delivery()),
        DeliveryRefusedError,
        receiver,
      );
      assert.match(
        error.message,
        /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/claims: refused with 401 Unauthorized: Unauthorized: a valid bearer token is required$/,
      );
      assert.equal(error.errorClass, 'delivery');
    });

    it('400 problem+json: title and detail, then each of its errors at its pointer', async () => {
      receiver.script.push({
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          type: 'https://erp.example.net/problems/invalid-claim',
          title: 'Invalid claim',
          detail: '2 fields are invalid',
          errors: [
            { pointer: '#/objects/0/canonical/total', detail: 'must equal the sum of the lines' },
            { pointer: '#/objects/0/canonical/payer', detail: 'unknown payer' },
          ],
        },
      });
      const error = await failure(destination().deliver(delivery()), DeliveryRefusedError, receiver);
      assert.match(error.message, /: refused with 400 Bad Request: Invalid claim: 2 fields are invalid$/);
      assert.deepEqual(error.issues, [
        { path: '$', rule: 'http-400', message: 'Invalid claim: 2 fields are invalid' },
        { path: '#/objects/0/canonical/total', rule: 'http-400', message: 'must equal the sum of the lines' },
        { path: '#/objects/0/canonical/payer', rule: 'http-400', message: 'unknown payer' },
      ]);
    });

    it('a plain 4xx body becomes one issue with its start', async () => {
      receiver.script.push({ status: 404, body: 'no such hook' });
      const error = await failure(destination().deliver(delivery()), DeliveryRefusedError, receiver);
      assert.deepEqual(error.issues, [{ path: '$', rule: 'http-404', message: 'no such hook' }]);
    });

    it('a redirect is not followed: refused, naming where it points', async () => {
      receiver.script.push({ status: 308, headers: { location: '/v2/hooks/claims?sig=qs3cret' } });
      const error = await failure(destination().deliver(delivery()), DeliveryRefusedError, receiver);
      assert.match(
        error.message,
        /: 308 Permanent Redirect to http:\/\/127\.0\.0\.1:\d+\/v2\/hooks\/claims\?…; redirects are not followed for POST: correct the destination's url$/,
      );
      assert.equal(receiver.requests.length, 1);
    });
  });

  describe('TLS', () => {
    let folder: string;
    let tls: { key: string; cert: string };
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'claimhub-http-tls-'));
      const files = selfSignedCertificate(folder);
      tls = { key: await readFile(files.key, 'utf8'), cert: await readFile(files.cert, 'utf8') };
    });
    after(() => rm(folder, { recursive: true, force: true }));
    beforeEach(async () => {
      await receiver.close();
      receiver = await FakeReceiver.start(tls);
    });

    it('refuses a certificate it cannot verify (retryable: the receiver may fix it), naming the TLS failure', async () => {
      const error = await failure(destination().deliver(delivery()), TransientError, receiver);
      assert.match(
        error.message,
        /^POST https:\/\/127\.0\.0\.1:\d+\/hooks\/claims: TLS failure: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
      );
      assert.equal(receiver.requests.length, 0);
    });

    it('delivers to a receiver whose certificate is signed by the configured CA', async () => {
      const receipt = (await destination({ tls: { ca: tls.cert } }).deliver(delivery())) as { status: number };
      assert.equal(receipt.status, 201);
    });

    it('delivers with rejectUnauthorized: false', async () => {
      const receipt = (await destination({ tls: { rejectUnauthorized: false } }).deliver(delivery())) as { status: number };
      assert.equal(receipt.status, 201);
    });
  });
});
