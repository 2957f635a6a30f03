// Typed errors of MLLP framing: a frame the listener received but cannot hand on as a message.
// Each carries the frame's first bytes (where the MSH is) so the answer can still name the message.
import { ParseError } from '../../canonical-model/errors.js';

/** Where a frame began: the byte offset of its start block in the connection's stream. */
export abstract class MllpFrameError extends ParseError {
  readonly offset: number;
  /** The first bytes of the frame's payload (at most FRAME_HEAD_BYTES): enough to read MSH. */
  readonly head: Buffer;

  constructor(message: string, rule: string, offset: number, head: Buffer) {
    super(message, [{ path: `byte ${offset}`, rule, message }]);
    this.offset = offset;
    this.head = head;
  }
}

/** A frame whose payload passed the configured maximum before its end block came. */
export class FrameTooLargeError extends MllpFrameError {
  readonly maxFrameBytes: number;

  constructor(maxFrameBytes: number, offset: number, head: Buffer) {
    super(`MLLP frame starting at byte ${offset} is larger than ${maxFrameBytes} bytes`, 'mllp-frame-size', offset, head);
    this.maxFrameBytes = maxFrameBytes;
  }
}

/** The sender closed its side of the connection in the middle of a frame. */
export class TruncatedFrameError extends MllpFrameError {
  readonly receivedBytes: number;

  constructor(receivedBytes: number, offset: number, head: Buffer) {
    super(`MLLP frame starting at byte ${offset} ended after ${receivedBytes} bytes without an end block`, 'mllp-end-block', offset, head);
    this.receivedBytes = receivedBytes;
  }
}
