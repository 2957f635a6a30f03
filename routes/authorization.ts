// Whether a claim has the prior authorization a route requires, as pure functions of the claim and
// the stored PriorAuthorization decisions of its member: the rules a hold and its release share.
import type { Claim, Period, PriorAuthorization, RequestedService, ServiceLine } from '../canonical-model/types.js';

/** Decisions that certify care: approved (HCR01 A1) and modified (A6: certified with changes, e.g. fewer units). */
const CERTIFYING = new Set(['approved', 'modified']);

/** How a claim came to be authorized (lineage says which). */
export type AuthorizationSource =
  | { kind: 'claim'; number: string }
  | { kind: 'lines' }
  | { kind: 'stored'; authorizationId: string; messageId: string; certificationNumber: string }
  | { kind: 'override' };

/** A stored PriorAuthorization decision as the lookups return it. */
export interface StoredAuthorization {
  id: string;
  messageId: string;
  canonical: PriorAuthorization;
}

/** The authorization the claim quotes itself: a number on the claim, or one on every service line. */
export function quotedAuthorization(claim: Claim): AuthorizationSource | undefined {
  if (claim.priorAuthorizationNumber) return { kind: 'claim', number: claim.priorAuthorizationNumber };
  if (claim.serviceLines.length > 0 && claim.serviceLines.every((line) => line.priorAuthorizationNumber)) return { kind: 'lines' };
  return undefined;
}

/** The number a claim quotes for `authorization`: the decision's certification number, else its first certified service's. */
export function certificationNumber(authorization: PriorAuthorization): string | undefined {
  return (
    authorization.decision?.certificationNumber ??
    authorization.services.find((s) => s.decision && CERTIFYING.has(s.decision.status) && s.decision.certificationNumber)?.decision?.certificationNumber
  );
}

/** A payer's decision that certifies care and gives a number to quote. */
export function isCertified(authorization: PriorAuthorization): boolean {
  return authorization.kind === 'decision' && CERTIFYING.has(authorization.status) && certificationNumber(authorization) !== undefined;
}

/**
 * Whether `authorization` covers `claim`. It covers it when it is a certified decision (above) for
 * the claim's member — the billed coverage's member id equal to the authorization's, and the payer
 * ids equal when both name one — and every service line the claim does not authorize itself (a
 * line without its own number) is covered by one of its services:
 * - the codes: a certified service with the line's procedure code (CPT and HCPCS share one code
 *   space, so the code is compared, not the system), or its revenue code for a line without a
 *   procedure; an authorization that names no procedure or revenue code at all (a service-type
 *   review, e.g. UM03 48 hospital inpatient) covers any code;
 * - the dates: the line's service dates (else the claim's billable period) lie within the service's
 *   certified period — its decision's validity, else the whole decision's validity, else the
 *   service's dates, else the event period; with no period on either side, dates do not decide.
 * A service is certified when its own decision certifies, or it has none and the whole decision does.
 */
export function covers(authorization: PriorAuthorization, claim: Claim): boolean {
  if (!isCertified(authorization)) return false;
  const coverage = claim.coverages[0];
  if (!coverage || coverage.memberId !== authorization.coverage.memberId) return false;
  const payerIds = [coverage.payer.payerId, authorization.coverage.payer.payerId ?? authorization.payer.payerId];
  if (payerIds[0] && payerIds[1] && payerIds[0] !== payerIds[1]) return false;
  const lines = claim.serviceLines.filter((line) => !line.priorAuthorizationNumber);
  const services = authorization.services.filter((s) => (s.decision ? CERTIFYING.has(s.decision.status) : true));
  const namesCodes = authorization.services.some((s) => s.procedure || s.revenueCode);
  return lines.every((line) => {
    const dates = line.serviceDate ?? claim.billablePeriod;
    if (!namesCodes) return within(dates, periodOf(authorization, undefined));
    return services.some((service) => sameCode(line, service) && within(dates, periodOf(authorization, service)));
  });
}

function sameCode(line: ServiceLine, service: RequestedService): boolean {
  if (line.procedure) return service.procedure?.code === line.procedure.code;
  if (line.revenueCode) return service.revenueCode?.code === line.revenueCode.code;
  return false;
}

function periodOf(authorization: PriorAuthorization, service: RequestedService | undefined): Period | undefined {
  return service?.decision?.validityPeriod ?? authorization.decision?.validityPeriod ?? service?.serviceDate ?? authorization.eventPeriod;
}

/** `dates` inside `period` (an open end is the start day); unknown on either side does not decide. */
function within(dates: Period | undefined, period: Period | undefined): boolean {
  if (!dates || !period) return true;
  const end = period.end ?? period.start;
  return dates.start >= period.start && (dates.end ?? dates.start) <= end;
}

/** A held claim as the release on an authorization's arrival finds it. */
export interface HeldClaimRef {
  claimId: string;
  messageId: string;
  claimNumber: string;
  canonical: Claim;
}

/** What the hold rules read from the store: a member's certified decisions and held claims. */
export interface AuthorizationStore {
  authorizations(memberId: string): Promise<StoredAuthorization[]>;
  heldClaims(memberId: string): Promise<HeldClaimRef[]>;
}

/** Where an operator's release is recorded on the claim (canonical extensions), so routing no longer holds it. */
export const HOLD_OVERRIDE = 'holdOverride';

/**
 * The authorization `claim` has: an operator's override, a number it quotes, else a stored decision
 * of its member that covers it (newest first); undefined when it has none. `override: false` asks
 * about authorizations only (the `$hasApprovedAuthorization()` of route predicates).
 */
export async function authorizationOf(claim: Claim, store: AuthorizationStore | undefined, override = true): Promise<AuthorizationSource | undefined> {
  if (override && claim.extensions?.[HOLD_OVERRIDE]) return { kind: 'override' };
  const quoted = quotedAuthorization(claim);
  if (quoted) return quoted;
  const memberId = claim.coverages[0]?.memberId;
  if (!store || !memberId) return undefined;
  const found = (await store.authorizations(memberId)).find((a) => covers(a.canonical, claim));
  return found && { kind: 'stored', authorizationId: found.id, messageId: found.messageId, certificationNumber: certificationNumber(found.canonical)! };
}
