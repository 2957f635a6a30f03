// /v1/messages: sources submit messages here; operators read status and lineage.
import express, { Router, type Request, type Response } from 'express';
import type { CanonicalResource } from '../../canonical-model/types.js';
import type { Intake, Receipt } from '../../routes/intake.js';
import { objectLabel } from '../../routes/stage-units.js';
import { ClaimhubError } from '../../canonical-model/errors.js';
import { detectFormat } from '../../connectors/detect.js';
import { HL7_ACK_CONTENT_TYPE } from '../../connectors/hl7v2/ack.js';
import type { MessageReader } from '../../store/messages.js';
import type { AuditRead } from '../audit-reads.js';
import { problem, problemFromError, sendProblem } from '../problem.js';

const X12_MEDIA_TYPES = new Set(['application/edi-x12', 'application/x12']);

function isX12(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value !== undefined && X12_MEDIA_TYPES.has(value.split(';', 1)[0].trim().toLowerCase());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MessagesDeps {
  intake: Intake;
  reader: MessageReader;
  bodyLimit: string;
  /** X12 batch interchanges are larger than single messages: they get their own limit. */
  x12BodyLimit: string;
  /** Records a read of PHI before it is answered. */
  auditRead: AuditRead;
}

export function messagesRouter(deps: MessagesDeps): Router {
  const router = Router();
  // Every format arrives as text: the hub sniffs it, and the raw bytes are what it stores.
  const rawText = express.text({ type: (req) => !isX12(req.headers['content-type']), limit: deps.bodyLimit, defaultCharset: 'utf-8' });
  const x12Text = express.text({ type: (req) => isX12(req.headers['content-type']), limit: deps.x12BodyLimit, defaultCharset: 'utf-8' });

  router.post('/', x12Text, rawText, async (req: Request, res: Response) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    if (raw.trim() === '') {
      sendProblem(
        res,
        problem(400, 'empty-body', 'Empty message', {
          detail: 'the request body is empty: send a FHIR R4 Claim or Bundle',
          instance: req.originalUrl,
        }),
      );
      return;
    }
    const incoming = { raw, contentType: req.get('content-type'), source: `api:${req.client!.name}` };
    const ackInBody = answersWithHl7Ack(req, raw);
    let receipt: Receipt;
    try {
      receipt = await deps.intake.receive(incoming);
    } catch (error) {
      // HL7 senders get their AR (store down: send again later) in the body they expect.
      const refusal = ackInBody ? deps.intake.refusal(incoming, error as Error) : undefined;
      if (!refusal) throw error;
      res.status(error instanceof ClaimhubError && error.permanent ? 400 : 503).type(refusal.contentType).send(refusal.text);
      return;
    }
    const location = `${req.baseUrl}/${receipt.id}`;
    res.setHeader('Location', location);
    if (ackInBody && receipt.acknowledgement) {
      sendHl7Ack(res, receipt);
      return;
    }
    if (receipt.duplicate) {
      res.status(200).json({
        id: receipt.id,
        status: receipt.status,
        duplicate: true,
        detail: 'the same source already sent this exact message; this is its first copy',
        ...(receipt.acknowledgement ? { acknowledgement: receipt.acknowledgement } : {}),
      });
      return;
    }
    if (receipt.parts) {
      sendBatchReceipt(res, receipt, location);
      return;
    }
    if (receipt.translation && !receipt.translation.ok) {
      sendProblem(
        res,
        problemFromError(receipt.translation.error, {
          instance: location,
          messageId: receipt.id,
          messageStatus: receipt.status,
          stage: receipt.translation.stage,
        }),
      );
      return;
    }
    res.status(202).json({
      id: receipt.id,
      status: receipt.status,
      ...mappedObjects(receipt.translation?.ok ? receipt.translation.objects : []),
    });
  });

  router.get('/:id', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) {
      sendProblem(
        res,
        problem(400, 'invalid-id', 'Invalid message id', {
          detail: `"${id.slice(0, 60)}" is not a message id (a UUID)`,
          instance: req.originalUrl,
        }),
      );
      return;
    }
    const view = await deps.reader.view(id);
    if (!view) {
      sendProblem(res, problem(404, 'not-found', 'No such message', { detail: `no message ${id}`, instance: req.originalUrl }));
      return;
    }
    await deps.auditRead(req, `message/${id}`);
    res.json(view);
  });

  router.get('/:id/ack', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!UUID.test(id)) {
      sendProblem(res, problem(400, 'invalid-id', 'Invalid message id', { detail: `"${id.slice(0, 60)}" is not a message id (a UUID)`, instance: req.originalUrl }));
      return;
    }
    const ack = await deps.reader.acknowledgement(id);
    if (!ack) {
      const exists = await deps.reader.message(id);
      sendProblem(
        res,
        problem(404, 'not-found', exists ? 'No acknowledgement' : 'No such message', {
          detail: exists ? `message ${id} got no acknowledgement (only batches such as X12 interchanges do)` : `no message ${id}`,
          instance: req.originalUrl,
        }),
      );
      return;
    }
    await deps.auditRead(req, `message/${id}/ack`);
    res.type(ack.contentType).send(ack.text);
  });

  return router;
}

/**
 * HL7 v2 over HTTP answers with the ACK itself, as an MLLP sender would get it, unless the client
 * asks for JSON (`Accept: application/json`): then the usual receipt or problem, with the ACK inside.
 */
function answersWithHl7Ack(req: Request, raw: string): boolean {
  if (detectFormat(raw, req.get('content-type')) !== 'hl7v2') return false;
  return req.accepts([HL7_ACK_CONTENT_TYPE, 'application/json', 'application/problem+json']) === HL7_ACK_CONTENT_TYPE;
}

/**
 * 202 for AA, 200 for the ACK of a resend, 422 for AE/AR (stored failed, visible to operators). A
 * batch: 202 with its batch of ACKs when any message was accepted, 422 when none was.
 */
function sendHl7Ack(res: Response, receipt: Receipt): void {
  const ack = receipt.acknowledgement!;
  const code = /(?:^|\r)MSA.(A[AER])/.exec(ack.text)?.[1];
  const accepted = receipt.parts ? receipt.status !== 'failed' : code === 'AA';
  const status = !accepted ? 422 : receipt.duplicate ? 200 : 202;
  res.setHeader('X-Message-Id', receipt.id);
  res.status(status).type(ack.contentType).send(ack.text);
}

/**
 * A batch (X12 interchange): 202 with each part's outcome and the acknowledgement when any part was
 * accepted; 422 problem+json with the same detail when every part was rejected.
 */
function sendBatchReceipt(res: Response, receipt: Receipt, location: string): void {
  const parts = (receipt.parts ?? []).map((part) => ({
    id: part.id,
    status: part.status,
    messageType: part.messageType,
    controlIds: part.controlIds,
    ...(part.translation?.ok ? mappedObjects(part.translation.objects) : {}),
    ...(part.translation && !part.translation.ok ? { stage: part.translation.stage, error: part.translation.error.toJSON() } : {}),
  }));
  const acknowledgement = receipt.acknowledgement ? { contentType: receipt.acknowledgement.contentType, text: receipt.acknowledgement.text } : undefined;
  if (receipt.error) {
    // unreadable as a whole (an X12 ISA that cannot be parsed): 400, with the TA1 when one could be written
    sendProblem(
      res,
      problemFromError(receipt.error, {
        instance: location,
        messageId: receipt.id,
        messageStatus: receipt.status,
        stage: 'parse',
        ...(acknowledgement ? { acknowledgement } : {}),
      }),
    );
    return;
  }
  if (receipt.status === 'failed') {
    const firstError = parts.find((part) => part.error)?.error;
    sendProblem(
      res,
      problem(422, 'batch-rejected', 'Every transaction set was rejected', {
        detail: firstError ? firstError.message : 'the payload holds no transaction set',
        instance: location,
        messageId: receipt.id,
        messageStatus: receipt.status,
        parts,
        ...(acknowledgement ? { acknowledgement } : {}),
      }),
    );
    return;
  }
  res.status(202).json({ id: receipt.id, status: receipt.status, parts, ...(acknowledgement ? { acknowledgement } : {}) });
}

/** What a message was mapped to: its claims (id, claim number), and any other canonical objects (835 remittances, 278 reviews, acknowledgements). */
function mappedObjects(objects: CanonicalResource[]): { claims: { id?: string; claimNumber: string }[]; objects?: { id?: string; resourceType: string; key: string }[] } {
  const claims = objects.flatMap((o) => (o.resourceType === 'Claim' ? [{ id: o.id, claimNumber: o.claimNumber }] : []));
  const others = objects.flatMap((o) => (o.resourceType === 'Claim' ? [] : [{ id: o.id, resourceType: o.resourceType, key: objectLabel(o) }]));
  return others.length > 0 ? { claims, objects: others } : { claims };
}
