import assert from 'node:assert/strict';
import { FrameTooLargeError, TruncatedFrameError } from '../../../connectors/hl7v2/mllp-errors.js';
import { MllpDeframer, frame, payloadText, type MllpEvent } from '../../../connectors/hl7v2/mllp-framer.js';

const ADT = 'MSH|^~\\&|EHR|CLINIC|HUB|CLAIMHUB|20240101120000||ADT^A08|CTRL1|P|2.5\rPID|1||12345^^^MRN||DOE^JANE\r';
const DFT = 'MSH|^~\\&|PM|CLINIC|HUB|CLAIMHUB|20240101120001||DFT^P03|CTRL2|P|2.5\rFT1|1|||20240101||CG|99213\r';

function messages(events: MllpEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'message' ? [event.payload.toString('utf8')] : []));
}

function pushAll(deframer: MllpDeframer, chunks: Buffer[]): MllpEvent[] {
  return chunks.flatMap((chunk) => deframer.push(chunk));
}

describe('MLLP deframer', () => {
  it('reads a message split at every byte boundary, and at every pair of boundaries', () => {
    const wire = Buffer.concat([frame(ADT), frame(DFT)]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const events = pushAll(new MllpDeframer(), [wire.subarray(0, cut), wire.subarray(cut)]);
      assert.deepEqual(messages(events), [ADT, DFT], `cut at ${cut}`);
      assert.equal(events.length, 2, `only the two messages at cut ${cut}`);
    }
    const single = frame(ADT);
    for (let first = 1; first < single.length; first++) {
      for (let second = first; second < single.length; second++) {
        const chunks = [single.subarray(0, first), single.subarray(first, second), single.subarray(second)];
        assert.deepEqual(messages(pushAll(new MllpDeframer(), chunks)), [ADT]);
      }
    }
  });

  it('reads a message delivered one byte per read', () => {
    const wire = frame(DFT);
    const deframer = new MllpDeframer();
    const chunks = [...wire].map((byte) => Buffer.from([byte]));
    assert.deepEqual(messages(pushAll(deframer, chunks)), [DFT]);
  });

  it('reads many frames coalesced in one read, in order', () => {
    const texts = Array.from({ length: 500 }, (_, index) => ADT.replace('CTRL1', `CTRL${index}`));
    const events = new MllpDeframer().push(Buffer.concat(texts.map((text) => frame(text))));
    assert.deepEqual(messages(events), texts);
  });

  it('hands out a frame received in one read without copying it', () => {
    const chunk = Buffer.concat([frame(ADT), frame(DFT)]);
    const [first] = new MllpDeframer().push(chunk);
    assert.ok(first.type === 'message');
    assert.equal(first.payload.buffer, chunk.buffer);
    assert.equal(first.payload.byteOffset, chunk.byteOffset + 1);
  });

  it('reports bytes between frames as noise with their stream offset', () => {
    const wire = Buffer.concat([Buffer.from('\n'), frame(ADT), Buffer.from('garbage'), frame(DFT)]);
    const events = new MllpDeframer().push(wire);
    assert.deepEqual(messages(events), [ADT, DFT]);
    const noise = events.filter((event) => event.type === 'noise');
    assert.deepEqual(
      noise.map((event) => [event.reason, event.bytes.toString(), event.offset]),
      [
        ['outside-frame', '\n', 0],
        ['outside-frame', 'garbage', 1 + ADT.length + 3],
      ],
    );
  });

  it('reports an abandoned frame as noise when a new start block comes before its end block', () => {
    const wire = Buffer.concat([Buffer.from('\x0bMSH|half a mess'), frame(DFT)]);
    const events = new MllpDeframer().push(wire);
    assert.deepEqual(messages(events), [DFT]);
    const abandoned = events.find((event) => event.type === 'noise');
    assert.ok(abandoned?.type === 'noise');
    assert.equal(abandoned.reason, 'abandoned-frame');
    assert.equal(abandoned.bytes.toString(), 'MSH|half a mess');
  });

  it('tolerates an end block without its carriage return and reports it', () => {
    const wire = Buffer.from(`\x0b${ADT}\x1c\x0b${DFT}\x1c\r`);
    const events = new MllpDeframer().push(wire);
    assert.deepEqual(messages(events), [ADT, DFT]);
    assert.deepEqual(
      events.filter((event) => event.type === 'missing-carriage-return').map((event) => event.offset),
      [ADT.length + 2],
    );
  });

  it('emits a message at its end block, before the carriage return arrives', () => {
    const deframer = new MllpDeframer();
    assert.deepEqual(messages(deframer.push(Buffer.from(`\x0b${ADT}\x1c`))), [ADT]);
    assert.deepEqual(deframer.push(Buffer.from('\r')), []);
  });

  it('refuses a frame over the maximum size without waiting for its end, then reads the next frame', () => {
    const deframer = new MllpDeframer({ maxFrameBytes: 1000 });
    const events = pushAll(deframer, [Buffer.from(`\x0b${ADT}`), Buffer.alloc(2000, 'x')]);
    assert.equal(events.length, 1);
    const [refused] = events;
    assert.ok(refused.type === 'frame-error' && refused.error instanceof FrameTooLargeError);
    assert.equal(refused.error.maxFrameBytes, 1000);
    assert.equal(refused.error.head.toString().slice(0, ADT.length), ADT);
    assert.equal(refused.error.head.length, ADT.length + 2000, 'the bytes read so far, below FRAME_HEAD_BYTES');
    assert.deepEqual(deframer.push(Buffer.alloc(100_000, 'y')), [], 'the rest of the refused frame is skipped');
    assert.deepEqual(messages(deframer.push(Buffer.concat([Buffer.from('\x1c\r'), frame(DFT)]))), [DFT]);
  });

  it('counts a frame exactly at the maximum size as accepted', () => {
    const payload = 'x'.repeat(64);
    assert.deepEqual(messages(new MllpDeframer({ maxFrameBytes: 64 }).push(frame(payload))), [payload]);
    const [refused] = new MllpDeframer({ maxFrameBytes: 63 }).push(frame(payload));
    assert.ok(refused.type === 'frame-error');
  });

  it('reports a frame left open at the end of the stream as truncated', () => {
    const deframer = new MllpDeframer();
    deframer.push(Buffer.from(`\x0b${ADT}`));
    const [truncated] = deframer.end();
    assert.ok(truncated.type === 'frame-error' && truncated.error instanceof TruncatedFrameError);
    assert.equal(truncated.error.receivedBytes, ADT.length);
    assert.equal(truncated.error.head.toString(), ADT);
    assert.deepEqual(truncated.error.issues[0].rule, 'mllp-end-block');
    assert.deepEqual(deframer.end(), []);
  });
});

describe('MLLP frame encoding', () => {
  it('wraps a payload in VT … FS CR, strings as UTF-8', () => {
    assert.deepEqual(frame('MSH|é'), Buffer.from([0x0b, ...Buffer.from('MSH|é', 'utf8'), 0x1c, 0x0d]));
    assert.deepEqual(frame(Buffer.from([0xe9])), Buffer.from([0x0b, 0xe9, 0x1c, 0x0d]));
  });

  it('decodes payloads as UTF-8 by default and by any WHATWG charset label', () => {
    assert.equal(payloadText(Buffer.from('DOE^RENÉE', 'utf8')), 'DOE^RENÉE');
    assert.equal(payloadText(Buffer.from([0x52, 0x45, 0x4e, 0xc9, 0x45]), 'iso-8859-1'), 'RENÉE');
  });
});
