// MLLP framing (HL7 Transport Specification: MLLP, Release 2): a block is <SB> payload <EB><CR>.
// MllpDeframer turns the reads of one connection into typed events; frame() encodes one payload.
//
// Decisions, from the Release 2 block format ("the data can contain any single-byte value greater
// than 0x1F and the ASCII carriage return"): SB (0x0B) and EB (0x1C) never occur in a payload, so
//  - an EB ends the payload by itself: the message is emitted at the EB, without waiting for the CR;
//    the CR the spec requires after it is consumed when it comes, and its absence is tolerated but
//    reported as a `missing-carriage-return` event (a sender to fix, not a message to refuse);
//  - an SB inside an open frame means the sender abandoned that frame and started again: the
//    abandoned bytes are reported as noise and the new frame is read;
//  - bytes outside any frame are reported as `noise`, never silently dropped.
// The payload is bytes: the deframer never decodes. UTF-8 and the ASCII-compatible single-byte and
// multi-byte charsets HL7 names in MSH-18 (8859/x, Shift_JIS, GB 18030) frame the same way; UTF-16
// and UTF-32 cannot be carried by MLLP at all (their code units contain 0x0B and 0x1C bytes).
import { FrameTooLargeError, TruncatedFrameError } from './mllp-errors.js';

export const START_BLOCK = 0x0b;
export const END_BLOCK = 0x1c;
export const CARRIAGE_RETURN = 0x0d;

/** Default cap on one payload: HL7 messages carrying documents (OBX ED) reach a few megabytes. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** How much of a refused frame is kept in its error: the MSH segment an answer needs fits in it. */
export const FRAME_HEAD_BYTES = 4096;

/** Why bytes were not part of a message. */
export type NoiseReason = 'outside-frame' | 'abandoned-frame';

/** What the deframer read. Offsets are byte positions in the connection's stream, from 0. */
export type MllpEvent =
  | { type: 'message'; payload: Buffer; offset: number }
  | { type: 'noise'; reason: NoiseReason; bytes: Buffer; offset: number }
  | { type: 'missing-carriage-return'; offset: number }
  | { type: 'frame-error'; error: FrameTooLargeError | TruncatedFrameError };

export interface MllpDeframerOptions {
  /** Largest payload accepted (bytes between SB and EB); a larger frame is refused and skipped. */
  maxFrameBytes?: number;
}

type State = 'between-frames' | 'in-frame' | 'after-end-block' | 'skipping-frame';

/**
 * Streaming deframer. Payloads that arrive within one read are subarrays of that read (no copy);
 * a payload split across reads is joined once, at its end block. Event buffers share memory with
 * the pushed chunks: a consumer that keeps them while reusing its chunks must copy them.
 */
export class MllpDeframer {
  readonly maxFrameBytes: number;
  private state: State = 'between-frames';
  /** Stream offset of the first byte of the current chunk. */
  private chunkOffset = 0;
  private frameOffset = 0;
  private frameParts: Buffer[] = [];
  private frameBytes = 0;

  constructor(options: MllpDeframerOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** True while a frame has begun and its end block has not come yet. */
  get inFrame(): boolean {
    return this.state === 'in-frame';
  }

  /** Reads one chunk of the stream; returns what it completed, in stream order. */
  push(chunk: Buffer): MllpEvent[] {
    const events: MllpEvent[] = [];
    let position = 0;
    while (position < chunk.length) {
      switch (this.state) {
        case 'between-frames':
          position = this.readBetweenFrames(chunk, position, events);
          break;
        case 'in-frame':
          position = this.readInFrame(chunk, position, events);
          break;
        case 'after-end-block':
          position = this.readAfterEndBlock(chunk, position, events);
          break;
        case 'skipping-frame':
          position = this.skipFrame(chunk, position);
          break;
      }
    }
    this.chunkOffset += chunk.length;
    return events;
  }

  /** The stream has ended: a frame still open is reported as truncated. */
  end(): MllpEvent[] {
    if (this.state !== 'in-frame') return [];
    const error = new TruncatedFrameError(this.frameBytes, this.frameOffset, this.frameHead());
    this.startBetweenFrames();
    return [{ type: 'frame-error', error }];
  }

  private readBetweenFrames(chunk: Buffer, position: number, events: MllpEvent[]): number {
    const start = chunk.indexOf(START_BLOCK, position);
    const noiseEnd = start < 0 ? chunk.length : start;
    if (noiseEnd > position) {
      const bytes = chunk.subarray(position, noiseEnd);
      events.push({ type: 'noise', reason: 'outside-frame', bytes, offset: this.chunkOffset + position });
    }
    if (start < 0) return chunk.length;
    this.startFrame(this.chunkOffset + start);
    return start + 1;
  }

  private readInFrame(chunk: Buffer, position: number, events: MllpEvent[]): number {
    const endBlock = chunk.indexOf(END_BLOCK, position);
    const stop = endBlock < 0 ? chunk.length : endBlock;
    const restart = chunk.subarray(position, stop).indexOf(START_BLOCK);
    if (restart >= 0) {
      const bytes = this.joinFrame(chunk.subarray(position, position + restart));
      events.push({ type: 'noise', reason: 'abandoned-frame', bytes, offset: this.frameOffset });
      this.startFrame(this.chunkOffset + position + restart);
      return position + restart + 1;
    }
    const piece = chunk.subarray(position, stop);
    if (this.frameBytes + piece.length > this.maxFrameBytes) {
      this.frameParts.push(piece);
      this.frameBytes += piece.length;
      const error = new FrameTooLargeError(this.maxFrameBytes, this.frameOffset, this.frameHead());
      events.push({ type: 'frame-error', error });
      this.frameParts = [];
      this.state = 'skipping-frame';
      return stop;
    }
    if (endBlock < 0) {
      if (piece.length > 0) this.frameParts.push(piece);
      this.frameBytes += piece.length;
      return chunk.length;
    }
    events.push({ type: 'message', payload: this.joinFrame(piece), offset: this.frameOffset });
    this.state = 'after-end-block';
    this.frameParts = [];
    return endBlock + 1;
  }

  private readAfterEndBlock(chunk: Buffer, position: number, events: MllpEvent[]): number {
    this.state = 'between-frames';
    if (chunk[position] === CARRIAGE_RETURN) return position + 1;
    events.push({ type: 'missing-carriage-return', offset: this.chunkOffset + position });
    return position;
  }

  /** After a refused frame: nothing until its end block, or a start block that begins the next. */
  private skipFrame(chunk: Buffer, position: number): number {
    const endBlock = chunk.indexOf(END_BLOCK, position);
    const start = chunk.subarray(position, endBlock < 0 ? chunk.length : endBlock).indexOf(START_BLOCK);
    if (start >= 0) {
      this.startFrame(this.chunkOffset + position + start);
      return position + start + 1;
    }
    if (endBlock < 0) return chunk.length;
    this.state = 'after-end-block';
    return endBlock + 1;
  }

  private startFrame(offset: number): void {
    this.state = 'in-frame';
    this.frameOffset = offset;
    this.frameParts = [];
    this.frameBytes = 0;
  }

  private startBetweenFrames(): void {
    this.state = 'between-frames';
    this.frameParts = [];
    this.frameBytes = 0;
  }

  /** The frame so far plus its last piece, copied only when it spans several reads. */
  private joinFrame(last: Buffer): Buffer {
    if (this.frameParts.length === 0) return last;
    this.frameParts.push(last);
    return Buffer.concat(this.frameParts, this.frameBytes + last.length);
  }

  private frameHead(): Buffer {
    return Buffer.concat(this.frameParts, Math.min(this.frameBytes, FRAME_HEAD_BYTES));
  }
}

/** Encodes one payload as an MLLP block (strings as UTF-8; pass a Buffer for any other charset). */
export function frame(payload: Buffer | string): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const block = Buffer.allocUnsafe(length + 3);
  block[0] = START_BLOCK;
  if (typeof payload === 'string') block.write(payload, 1);
  else payload.copy(block, 1);
  block[length + 1] = END_BLOCK;
  block[length + 2] = CARRIAGE_RETURN;
  return block;
}

const utf8 = new TextDecoder('utf-8');

/**
 * A payload as text. UTF-8 by default; another charset is a WHATWG label (`iso-8859-1`,
 * `windows-1252`, `shift_jis`, `gb18030`), which the parser will choose from MSH-18.
 */
export function payloadText(payload: Buffer, charset?: string): string {
  return (charset === undefined ? utf8 : new TextDecoder(charset)).decode(payload);
}
