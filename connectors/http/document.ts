// The JSON documents an http destination sends: one per delivery (every canonical object routed to
// the destination), or one per object. Byte-for-byte the same on every attempt, retry and replay
// as-is, so a receiver that fingerprints requests under an Idempotency-Key sees the same request;
// the attempt number travels in a header instead.
import type { Delivery, DeliveryObject } from '../destination.js';

/** One object as sent: the hub's id and seq beside the canonical claim, remittance… or, with a destination mapping, its document. */
export type ObjectEntry = { id: string; seq: number } & ({ canonical: Record<string, unknown> } | { document: unknown });

export interface DeliveryDocument {
  messageId: string;
  destination: string;
  idempotencyKey: string;
  objects: ObjectEntry[];
}

export interface ObjectDocument {
  messageId: string;
  destination: string;
  /** `<delivery key>.<seq>`. */
  idempotencyKey: string;
  object: ObjectEntry;
}

const entry = (object: DeliveryObject): ObjectEntry =>
  object.document === undefined ? { id: object.id, seq: object.seq, canonical: object.canonical } : { id: object.id, seq: object.seq, document: object.document };

export function deliveryDocument(delivery: Delivery): DeliveryDocument {
  return {
    messageId: delivery.messageId,
    destination: delivery.destinationId,
    idempotencyKey: delivery.idempotencyKey,
    objects: delivery.objects.map(entry),
  };
}

/** The key of one object's request: stable across retries like the delivery's own. */
export const objectIdempotencyKey = (delivery: Delivery, object: DeliveryObject) => `${delivery.idempotencyKey}.${object.seq}`;

/**
 * One object's request body: with a destination mapping, exactly the document it made (what the
 * receiver's API takes); otherwise the object in its envelope.
 */
export function objectBody(delivery: Delivery, object: DeliveryObject): unknown {
  return object.document === undefined ? objectDocument(delivery, object) : object.document;
}

export function objectDocument(delivery: Delivery, object: DeliveryObject): ObjectDocument {
  return {
    messageId: delivery.messageId,
    destination: delivery.destinationId,
    idempotencyKey: objectIdempotencyKey(delivery, object),
    object: entry(object),
  };
}
