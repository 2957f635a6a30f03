// What every outbound connector offers the delivery workers: deliver the canonical objects of one
// message, idempotently (the same key lands on the same file / is recognised by the receiver).

export interface DeliveryObject {
  /** Hub id of the canonical object (claims.id). */
  id: string;
  seq: number;
  canonical: Record<string, unknown>;
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
  /** Sends the delivery; resolves with a receipt (file names, remote ids) recorded in the store. */
  deliver(delivery: Delivery): Promise<unknown>;
  close?(): Promise<void>;
}
