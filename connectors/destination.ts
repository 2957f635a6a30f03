// What every outbound connector offers the delivery workers: deliver the canonical objects of one
// message, idempotently (the same key lands on the same file / is recognised by the receiver).

export interface DeliveryObject {
  /** Hub id of the canonical object (claims.id). */
  id: string;
  seq: number;
  canonical: Record<string, unknown>;
  /**
   * What the destination's own mapping (`mapping:` in its config, a mapping from format
   * `canonical`) made of the canonical object: the document it sends instead. Absent without one.
   */
  document?: unknown;
}

export interface Delivery {
  messageId: string;
  destinationId: string;
  /** Stable across retries, replays and recoveries: `<messageId>.<destinationId>`. */
  idempotencyKey: string;
  attempt: number;
  objects: DeliveryObject[];
}

export interface Destination {
  readonly id: string;
  readonly type: string;
  /**
   * True for destinations that submit claims for adjudication (an 837 to a clearinghouse or payer):
   * a delivery there moves its claims to `submitted`, and the receiver's 999 later to
   * `acknowledged` or `rejected`. A file of canonical JSON is an export, not a submission.
   */
  readonly submitsClaims?: boolean;
  /** Sends the delivery; resolves with a receipt (file names, remote ids) recorded in the store. */
  deliver(delivery: Delivery): Promise<unknown>;
  close?(): Promise<void>;
}
