// /v1/messages: sources submit messages here; operators read status and lineage; a source reads
// the acknowledgement of what it sent.
import express, { type Request, type Response } from 'express';
import type { CanonicalResource } from '../../canonical-model/types.js';
import type { Intake, Receipt } from '../../routes/intake.js';
import { objectLabel } from '../../routes/stage-units.js';
import { ClaimhubError } from '../../canonical-model/errors.js';
import { detectFormat } from '../../connectors/detect.js';
import { HL7_ACK_CONTENT_TYPE } from '../../connectors/hl7v2/ack.js';
import type { MessageReader } from '../../store/messages.js';
import type { AuditRead } from '../audit-reads.js';
import { problem, problemFromError, sendProblem } from '../problem.js';
import { mayCall, type Principal } from '../roles.js';
import type { RouteSpec } from '../route-table.js';
import { answering, BadRequest, Forbidden, idOf, operatorOf } from './request-parts.js';
import { idParam, json, problemAnswer } from './schemas.js';

const X12_MEDIA_TYPES = new Set(['application/edi-x12', 'application/x12']);

function isX12(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value !== undefined && X12_MEDIA_TYPES.has(value.split(';', 1)[0].trim().toLowerCase());
}

export interface MessagesDeps {
  intake: Intake;
  reader: MessageReader;
  bodyLimit: string;
  /** X12 batch interchanges are larger than single messages: they get their own limit. */
  x12BodyLimit: string;
  /** Records a read of PHI before it is answered. */
  auditRead: AuditRead;
}

const SOURCE_ID = '^[A-Za-z0-9._:-]{1,100}$';

const receipt = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', description: 'received, validated, routed, failed, split…' },
    duplicate: { type: 'boolean' },
    claims: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, claimNumber: { type: 'string' } } } },
    objects: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, resourceType: { type: 'string' }, key: { type: 'string' } } },
    },
    parts: { type: 'array', items: { type: 'object' }, description: "A batch: each part's outcome." },
    acknowledgement: { type: 'object', properties: { contentType: { type: 'string' }, text: { type: 'string' } } },
  },
};

/**
 * The source a submission is stored under: `?source=` when given (and allowed), the client's only
 * allowed source, or `api:<client name>`. Duplicates are detected per source.
 */
function submittingSource(req: Request): string {
  const principal: Principal = req.principal!;
  const asked = typeof req.query.source === 'string' ? req.query.source : undefined;
  const allowed = principal.sources;
  if (asked !== undefined) {
    if (allowed && !allowed.includes(asked)) throw new Forbidden(`this client may submit as ${allowed.join(', ')}, not as "${asked}"`);
    return asked;
  }
  if (allowed?.length === 1) return allowed[0];
  if (allowed && allowed.length > 1)
    throw new BadRequest('source', `this client submits as one of ${allowed.join(', ')}: name one with ?source=`);
  return `api:${principal.name}`;
}

export function messageRoutes(deps: MessagesDeps): RouteSpec[] {
  // Every format arrives as text: the hub sniffs it, and the raw bytes are what it stores.
  const rawText = express.text({ type: (req) => !isX12(req.headers['content-type']), limit: deps.bodyLimit, defaultCharset: 'utf-8' });
  const x12Text = express.text({ type: (req) => isX12(req.headers['content-type']), limit: deps.x12BodyLimit, defaultCharset: 'utf-8' });

  return [
    {
      method: 'post',
      path: '/messages',
      operationId: 'submitMessage',
      tag: 'messages',
      summary: 'Submit a message (FHIR R4 Claim or Bundle, HL7 v2, X12 5010)',
      description:
        'The format is sniffed (or taken from Content-Type). The message is stored durably before the answer. HL7 v2 gets its ACK as the body ' +
        '(unless Accept: application/json); an X12 interchange gets each part and its 999/TA1. A resend of the same bytes from the same source answers 200 with the first copy.',
      access: ['source'],
      query: {
        source: {
          type: 'string',
          pattern: SOURCE_ID,
          description: 'Source id to submit as (a key restricted to sources may only name those).',
        },
      },
      body: {
        required: true,
        parse: [x12Text, rawText],
        content: {
          'application/fhir+json': { schema: { type: 'object', description: 'A FHIR R4 Claim or Bundle.' } },
          'application/json': { schema: { type: 'object', description: 'A FHIR R4 Claim or Bundle.' } },
          'x-application/hl7-v2+er7': { schema: { type: 'string', description: 'One HL7 v2 message or an FHS/BHS batch.' } },
          'application/edi-x12': { schema: { type: 'string', description: `An X12 5010 interchange (up to ${deps.x12BodyLimit}).` } },
          'text/plain': { schema: { type: 'string', description: 'Any supported format, sniffed.' } },
        },
      },
      responses: {
        202: { description: 'Stored and accepted (a receipt, or the HL7 ACK AA).', schema: receipt },
        200: { description: "A resend: the first copy's receipt.", schema: receipt },
        400: problemAnswer('Empty or unreadable.'),
        413: problemAnswer('Larger than the limit for its content type.'),
        422: problemAnswer('Stored, but refused (mapping or validation); operators see it. HL7: the ACK AE/AR.'),
        503: problemAnswer('Not stored (the store is down): send it again.'),
      },
      handle: (req, res) => answering(req, res, [], () => submit(deps, req, res)),
    },
    {
      method: 'get',
      path: '/messages/{id}',
      operationId: 'getMessage',
      tag: 'messages',
      summary: 'One message: status, lineage events, canonical objects',
      access: ['ops'],
      auditedRead: true,
      pathParams: { id: idParam('message') },
      responses: {
        200: { description: 'The message.', schema: json('object') },
        400: problemAnswer('Not a message id.'),
        404: problemAnswer('No such message.'),
      },
      handle: (req, res) =>
        answering(req, res, [], async () => {
          const id = idOf(req, 'message');
          const view = await deps.reader.view(id);
          if (!view)
            return void sendProblem(
              res,
              problem(404, 'not-found', 'No such message', { detail: `no message ${id}`, instance: req.originalUrl }),
            );
          await deps.auditRead(req, `message/${id}`);
          res.json(view);
        }),
    },
    {
      method: 'get',
      path: '/messages/{id}/ack',
      operationId: 'getMessageAcknowledgement',
      tag: 'messages',
      summary: 'The acknowledgement the hub produced for a message (HL7 ACK, X12 999/TA1)',
      description: 'A source reads only the acknowledgements of messages submitted as one of its sources.',
      access: ['ops', 'source'],
      auditedRead: true,
      pathParams: { id: idParam('message') },
      responses: {
        200: { description: 'The acknowledgement, in its own media type.', contentType: 'text/plain', schema: { type: 'string' } },
        400: problemAnswer('Not a message id.'),
        404: problemAnswer("No such message (or not one of this source's), or no acknowledgement."),
      },
      handle: (req, res) =>
        answering(req, res, [], async () => {
          const id = idOf(req, 'message');
          const message = await deps.reader.acknowledgementOf(id);
          // A source sees its own messages only; to it, another source's message does not exist.
          const visible = message && (mayCall(req.principal!, ['ops']) || submittableBy(req.principal!, message.source));
          if (!visible)
            return void sendProblem(
              res,
              problem(404, 'not-found', 'No such message', { detail: `no message ${id}`, instance: req.originalUrl }),
            );
          const ack = message.acknowledgement;
          if (!ack)
            return void sendProblem(
              res,
              problem(404, 'not-found', 'No acknowledgement', {
                detail: `message ${id} got no acknowledgement (only batches such as X12 interchanges, and HL7 v2 messages, do)`,
                instance: req.originalUrl,
              }),
            );
          await deps.auditRead(req, `message/${id}/ack`);
          res.type(ack.contentType).send(ack.text);
        }),
    },
  ];
}

function submittableBy(principal: Principal, source: string): boolean {
  return principal.sources ? principal.sources.includes(source) : source === `api:${principal.name}`;
}

async function submit(deps: MessagesDeps, req: Request, res: Response): Promise<void> {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (raw.trim() === '') {
    sendProblem(
      res,
      problem(400, 'empty-body', 'Empty message', {
        detail: 'the request body is empty: send a FHIR R4 Claim or Bundle, an HL7 v2 message or an X12 interchange',
        instance: req.originalUrl,
      }),
    );
    return;
  }
  const incoming = {
    raw,
    contentType: req.get('content-type'),
    source: submittingSource(req),
    // The submitter as every audit record names an API caller (operatorOf), with its roles spelled out.
    submitter: { ...operatorOf(req), role: req.principal!.roles.join(',') },
  };
  const ackInBody = answersWithHl7Ack(req, raw);
  let receipt: Receipt;
  try {
    receipt = await deps.intake.receive(incoming);
  } catch (error) {
    // HL7 senders get their AR (store down: send again later) in the body they expect.
    const refusal = ackInBody ? deps.intake.refusal(incoming, error as Error) : undefined;
    if (!refusal) throw error;
    res
      .status(error instanceof ClaimhubError && error.permanent ? 400 : 503)
      .type(refusal.contentType)
      .send(refusal.text);
    return;
  }
  const location = `${req.baseUrl}/messages/${receipt.id}`;
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
  const acknowledgement = receipt.acknowledgement
    ? { contentType: receipt.acknowledgement.contentType, text: receipt.acknowledgement.text }
    : undefined;
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
function mappedObjects(objects: CanonicalResource[]): {
  claims: { id?: string; claimNumber: string }[];
  objects?: { id?: string; resourceType: string; key: string }[];
} {
  const claims = objects.flatMap((o) => (o.resourceType === 'Claim' ? [{ id: o.id, claimNumber: o.claimNumber }] : []));
  const others = objects.flatMap((o) =>
    o.resourceType === 'Claim' ? [] : [{ id: o.id, resourceType: o.resourceType, key: objectLabel(o) }],
  );
  return others.length > 0 ? { claims, objects: others } : { claims };
}
