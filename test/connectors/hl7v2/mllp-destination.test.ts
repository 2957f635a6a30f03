import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsOptions } from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryRefusedError, TransientError } from '../../../canonical-model/errors.js';
import type { Delivery } from '../../../connectors/destination.js';
import type { MllpMessage } from '../../../connectors/hl7v2/mllp-connection.js';
import { MllpDestination, type MllpDestinationConfig } from '../../../connectors/hl7v2/mllp-destination.js';
import { MllpServer } from '../../../connectors/hl7v2/mllp-server.js';
import { parseHl7Message } from '../../../connectors/hl7v2/parse.js';
import { institutionalClaim, professionalClaim, remittance } from '../../canonical-model/fixtures.js';
import { selfSignedCertificate } from '../../support/tls.js';

const HOST = '127.0.0.1';

/** How the remote system answers one message (given its MSH-10 and the count of messages so far). */
type Answer = (controlId: string, received: number) => string | Promise<string> | 'close' | 'silence';

const ack = (controlId: string, code = 'AA', ...more: string[]) =>
  [`MSH|^~\\&|PM|BILLING|CLAIMHUB|MESA|20261015200206||ACK^P03^ACK|ACK-${controlId}|P|2.5.1`, `MSA|${code}|${controlId}`, ...more].join(
    '\r',
  );

/** A remote billing system on 127.0.0.1: our MLLP listener, answering as `answer` says and recording what it got. */
class RemoteSystem {
  readonly received: { controlId: string; text: string; connectionId: number; secure: boolean }[] = [];
  answer: Answer = (controlId) => ack(controlId);
  private server: MllpServer | undefined;
  port = 0;

  async start(port = 0, tls?: TlsOptions): Promise<this> {
    this.server = new MllpServer({
      port,
      host: HOST,
      tls,
      handler: (message) => this.handle(message),
      // Throwing here makes the listener close the connection without a reply.
      onError: (error) => {
        throw error;
      },
    });
    this.port = (await this.server.listen()).port;
    return this;
  }

  get connections(): number {
    return this.server?.counters.connectionsAccepted ?? 0;
  }

  async stop(): Promise<void> {
    await this.server?.close(50);
  }

  private async handle(message: MllpMessage): Promise<string> {
    const text = message.text();
    const controlId = parseHl7Message(text).header.controlId;
    this.received.push({ controlId, text, connectionId: message.peer.connectionId, secure: message.peer.secure });
    const reply = await this.answer(controlId, this.received.length);
    if (reply === 'close') throw new Error('remote system drops the connection');
    if (reply === 'silence') return new Promise<string>(() => {});
    return reply;
  }
}

const remotes: RemoteSystem[] = [];
const destinations: MllpDestination[] = [];

async function remoteSystem(): Promise<RemoteSystem> {
  const remote = await new RemoteSystem().start();
  remotes.push(remote);
  return remote;
}

function destinationFor(port: number, options: Partial<MllpDestinationConfig> = {}): MllpDestination {
  const destination = new MllpDestination({
    id: 'billing',
    host: HOST,
    port,
    sendingApplication: 'CLAIMHUB',
    sendingFacility: 'MESA',
    receivingApplication: 'PM',
    receivingFacility: 'BILLING',
    ackTimeoutMs: 2_000,
    ...options,
  });
  destinations.push(destination);
  return destination;
}

let messageCount = 0;

function delivery(claims = [professionalClaim()], attempt = 1, messageId = `msg-${++messageCount}`): Delivery {
  return {
    messageId,
    destinationId: 'billing',
    idempotencyKey: `${messageId}.billing`,
    attempt,
    objects: claims.map((claim, i) => ({
      id: `claim-${messageId}-${i + 1}`,
      seq: i + 1,
      canonical: claim as unknown as Record<string, unknown>,
    })),
  };
}

/** The rejection of `promise`, asserted to be of `type`. */
async function failure<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => assert.fail('the delivery should have failed'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
  return error;
}

afterEach(async () => {
  await Promise.all(destinations.splice(0).map((destination) => destination.close()));
  await Promise.all(remotes.splice(0).map((remote) => remote.stop()));
});

describe('MllpDestination', () => {
  it('sends one DFT per claim, in order, and returns their control ids and ACKs', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId) => ack(controlId, 'AA', 'ERR||||I||||posted');
    const destination = destinationFor(remote.port);
    const receipt = await destination.deliver(delivery([professionalClaim(), institutionalClaim()]));

    assert.equal(receipt.controlIds.length, 2);
    assert.deepEqual(
      remote.received.map((message) => message.controlId),
      receipt.controlIds,
    );
    assert.deepEqual(receipt.acks, [
      { code: 'AA', text: 'posted' },
      { code: 'AA', text: 'posted' },
    ]);
    const [first, second] = remote.received.map((message) => parseHl7Message(message.text));
    assert.equal(first.header.messageType, 'DFT');
    assert.equal(first.header.sendingApplication.namespaceId, 'CLAIMHUB');
    assert.equal(first.header.receivingFacility.namespaceId, 'BILLING');
    assert.equal(first.segments.find((segment) => segment.id === 'PID')?.fields[18], 'ACC-5520-01');
    assert.equal(second.segments.find((segment) => segment.id === 'PID')?.fields[18], 'MRH-OP-884213');
  });

  it('reuses one connection for several deliveries', async () => {
    const remote = await remoteSystem();
    const destination = destinationFor(remote.port);
    for (let i = 0; i < 4; i++) await destination.deliver(delivery());
    await Promise.all([destination.deliver(delivery()), destination.deliver(delivery()), destination.deliver(delivery())]);
    assert.equal(remote.received.length, 7);
    assert.equal(remote.connections, 1);
  });

  it('opens a new connection after maxMessagesPerConnection messages', async () => {
    const remote = await remoteSystem();
    const destination = destinationFor(remote.port, { maxMessagesPerConnection: 2 });
    for (let i = 0; i < 5; i++) await destination.deliver(delivery());
    assert.equal(remote.connections, 3);
  });

  it('closes an idle connection after idleTimeoutMs and reconnects for the next delivery', async () => {
    const remote = await remoteSystem();
    const destination = destinationFor(remote.port, { idleTimeoutMs: 100 });
    await destination.deliver(delivery());
    await delay(300);
    await destination.deliver(delivery());
    assert.equal(remote.connections, 2);
  });

  it('refuses for good on AE, with the ACK text, error location and code, keeping the connection', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId, received) =>
      received === 2
        ? ack(controlId, 'AE', 'ERR||PID^1^3^1^1|103^Table value not found^HL70357|E||||Unknown medical record number')
        : ack(controlId);
    const destination = destinationFor(remote.port);
    const error = await failure(destination.deliver(delivery([professionalClaim(), institutionalClaim()])), DeliveryRefusedError);
    assert.equal(error.permanent, true);
    assert.match(
      error.message,
      /^MLLP 127\.0\.0\.1:\d+ refused message \S+ \(object claim-msg-\d+-2, 2 of 2\) with AE: Unknown medical record number/,
    );
    assert.match(error.message, /the 1 before it were accepted/);
    assert.deepEqual(error.issues, [{ path: 'PID-3.1', rule: '103', message: 'Unknown medical record number' }]);
    await destination.deliver(delivery());
    assert.equal(remote.connections, 1);
  });

  it('reads a v2.3 style AE (MSA-3 and ERR-1)', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId) =>
      ack(controlId, 'AE', 'ERR|IN1^1^36^204&Unknown key identifier').replace(
        `MSA|AE|${controlId}`,
        `MSA|AE|${controlId}|policy not on file`,
      );
    const error = await failure(destinationFor(remote.port).deliver(delivery()), DeliveryRefusedError);
    assert.match(error.message, /with AE: policy not on file$/);
    assert.deepEqual(error.issues, [{ path: 'IN1-36', rule: '204', message: 'Unknown key identifier' }]);
  });

  it('retries on AR, and the retry sends the claims already accepted again with the same control ids', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId, received) => (received === 2 ? ack(controlId, 'AR', 'ERR||||E||||system busy') : ack(controlId));
    const destination = destinationFor(remote.port);
    const claims = [professionalClaim(), institutionalClaim()];
    const first = delivery(claims, 1, 'msg-retried');
    const error = await failure(destination.deliver(first), TransientError);
    assert.equal(error.permanent, false);
    assert.match(error.message, /rejected message \S+ \(object claim-msg-retried-2, 2 of 2\) with AR: system busy/);

    const receipt = await destination.deliver(delivery(claims, 2, 'msg-retried'));
    const [a, b] = receipt.controlIds;
    assert.deepEqual(
      remote.received.map((message) => message.controlId),
      [a, b, a, b],
    );
    assert.equal(remote.connections, 1);
  });

  it('times out when the remote system never answers, then sends on a new connection', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId, received) => (received === 1 ? 'silence' : ack(controlId));
    const destination = destinationFor(remote.port, { ackTimeoutMs: 200 });
    const error = await failure(destination.deliver(delivery()), TransientError);
    assert.match(error.message, /^MLLP 127\.0\.0\.1:\d+: no ACK to \S+ within 200 ms$/);
    assert.doesNotMatch(error.message, /Nakamura|FRH207734|1979/);

    await destination.deliver(delivery());
    assert.equal(remote.connections, 2);
  });

  it('waits for a slow ACK that comes within the timeout', async () => {
    const remote = await remoteSystem();
    remote.answer = async (controlId) => {
      await delay(400);
      return ack(controlId);
    };
    const receipt = await destinationFor(remote.port, { ackTimeoutMs: 2_000 }).deliver(delivery());
    assert.deepEqual(receipt.acks, [{ code: 'AA' }]);
  });

  it('fails retryably when the remote system closes the connection before answering, and reconnects', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId, received) => (received === 1 ? 'close' : ack(controlId));
    const destination = destinationFor(remote.port);
    const error = await failure(destination.deliver(delivery()), TransientError);
    assert.match(error.message, /^MLLP 127\.0\.0\.1:\d+: the connection was closed before the ACK to \S+/);
    await destination.deliver(delivery());
    assert.equal(remote.connections, 2);
  });

  it('drops the connection when the ACK names another message (MSA-2)', async () => {
    const remote = await remoteSystem();
    remote.answer = (controlId, received) => (received === 1 ? ack('SOMEONE-ELSE') : ack(controlId));
    const destination = destinationFor(remote.port);
    const error = await failure(destination.deliver(delivery()), TransientError);
    assert.match(error.message, /answered \S+ with an ACK for "SOMEONE-ELSE"; the connection is dropped/);
    await destination.deliver(delivery());
    assert.equal(remote.connections, 2);
  });

  it('fails retryably on a reply that is not an HL7 ACK', async () => {
    const remote = await remoteSystem();
    remote.answer = () => 'thank you';
    const error = await failure(destinationFor(remote.port).deliver(delivery()), TransientError);
    assert.match(error.message, /answered \S+ with something that is not an HL7 ACK/);
  });

  it('fails retryably on bytes outside an MLLP frame', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const error = await failure(destinationFor(port).deliver(delivery()), TransientError);
      assert.match(error.message, /^MLLP 127\.0\.0\.1:\d+: sent \d+ bytes outside an MLLP frame$/);
    } finally {
      server.close();
      await destinations.pop()?.close();
    }
  });

  it('fails retryably when nothing listens, naming host, port and the refusal', async () => {
    const remote = await remoteSystem();
    const port = remote.port;
    await remote.stop();
    const error = await failure(destinationFor(port).deliver(delivery()), TransientError);
    assert.equal(error.message, `MLLP 127.0.0.1:${port}: cannot connect (connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('reconnects after the remote system restarts', async () => {
    const remote = await remoteSystem();
    const destination = destinationFor(remote.port);
    await destination.deliver(delivery());
    await remote.stop();
    const restarted = await new RemoteSystem().start(remote.port);
    remotes.push(restarted);
    await delay(50);
    const receipt = await destination.deliver(delivery());
    assert.deepEqual(receipt.acks, [{ code: 'AA' }]);
    assert.equal(restarted.connections, 1);
    assert.equal(restarted.received.length, 1);
  });

  it('delivers over TLS to a listener whose certificate it trusts, and refuses to connect otherwise', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mllp-destination-tls-'));
    try {
      const { key, cert } = selfSignedCertificate(folder);
      const remote = new RemoteSystem();
      remotes.push(remote);
      await remote.start(0, { key: readFileSync(key), cert: readFileSync(cert) });
      const receipt = await destinationFor(remote.port, { tls: { ca: readFileSync(cert, 'utf8') } }).deliver(delivery());
      assert.deepEqual(receipt.acks, [{ code: 'AA' }]);
      assert.deepEqual(
        remote.received.map((message) => message.secure),
        [true],
      );
      const error = await failure(destinationFor(remote.port, { tls: true }).deliver(delivery()), TransientError);
      assert.match(error.message, /^MLLP 127\.0\.0\.1:\d+: cannot connect \(.*self[- ]signed/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a delivery with objects a DFT cannot carry before sending any of it', async () => {
    const remote = await remoteSystem();
    const orphan = institutionalClaim();
    delete orphan.patient.identifiers;
    const objects = delivery([professionalClaim(), orphan]);
    objects.objects.push({ id: 'remit-1', seq: 3, canonical: remittance() as unknown as Record<string, unknown> });
    const error = await failure(destinationFor(remote.port).deliver(objects), DeliveryRefusedError);
    assert.deepEqual(
      error.issues.map((issue) => issue.path),
      ['$[1].patient.identifiers', '$[2].resourceType'],
    );
    assert.doesNotMatch(error.message, /Okafor|RMM4410982/);
    assert.equal(remote.received.length, 0);
  });
});
