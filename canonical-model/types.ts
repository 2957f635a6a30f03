// The canonical model as TypeScript types: the one shape every connector maps to and from.
// Kept beside the JSON Schemas in ./schemas (the schemas are the contract checked at runtime;
// test/canonical-model/types.test.ts keeps the two in step on the shipped samples).

/** Exact decimal amount as a string, at most 2 fraction digits ("283.31", "-5", "0.50"). */
export type Money = string;
/** Calendar date, YYYY-MM-DD. */
export type IsoDate = string;

/** A coded value that always carries its code system. */
export interface Code {
  /** Code system URI or short name: ICD-10-CM, CPT, HCPCS, NUBC-REV, POS, CARC, RARC, NDC, X12-… */
  system: string;
  code: string;
  display?: string;
}

export interface Identifier {
  /** What kind of id: npi, tax-id, member-id, mrn, payer-id, ssn, other. */
  type: string;
  value: string;
  system?: string;
}

export interface Address {
  lines: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

export interface PersonName {
  family: string;
  given?: string[];
  suffix?: string;
}

export interface Person {
  name: PersonName;
  birthDate?: IsoDate;
  gender?: 'male' | 'female' | 'other' | 'unknown';
  address?: Address;
  identifiers?: Identifier[];
}

export interface Organization {
  name: string;
  identifiers?: Identifier[];
  address?: Address;
}

/** A provider role on a claim: a person or an organization, with its billing identity. */
export interface Provider {
  entityType: 'person' | 'organization';
  /** Organization name or a person's family name (person's full name in `person`). */
  name: string;
  person?: PersonName;
  npi?: string;
  taxId?: string;
  taxonomy?: string;
  address?: Address;
}

export interface Payer {
  name: string;
  /** Payer id as known to the clearinghouse (X12 NM109 with PI/XV, FHIR Organization identifier). */
  payerId?: string;
  address?: Address;
}

export type CoverageRank = 'primary' | 'secondary' | 'tertiary' | 'unknown';
export type SubscriberRelationship = 'self' | 'spouse' | 'child' | 'other';

export interface Coverage {
  rank: CoverageRank;
  payer: Payer;
  memberId: string;
  groupNumber?: string;
  groupName?: string;
  /** Patient's relationship to the subscriber. */
  relationship: SubscriberRelationship;
  /** The subscriber, when it is not the patient. */
  subscriber?: Person;
  /** Insurance type / claim filing indicator (X12 SBR09, e.g. CI, MB, MC). */
  filingIndicator?: string;
}

export interface Diagnosis {
  /** 1-based; service lines point at it. */
  sequence: number;
  code: Code;
  kind: 'principal' | 'admitting' | 'reason-for-visit' | 'other';
  /** Present on admission indicator (Y, N, U, W, 1). */
  presentOnAdmission?: 'Y' | 'N' | 'U' | 'W' | '1';
}

export interface Period {
  start: IsoDate;
  end?: IsoDate;
}

export interface InstitutionalInfo {
  /** Type of bill: facility type + classification + frequency, e.g. "0111". */
  typeOfBill?: string;
  admission?: { date?: IsoDate; hour?: string; type?: Code; source?: Code };
  dischargeHour?: string;
  dischargeStatus?: Code;
  conditionCodes?: Code[];
  occurrenceCodes?: { code: Code; date: IsoDate }[];
  occurrenceSpanCodes?: { code: Code; period: Period }[];
  valueCodes?: { code: Code; amount: Money }[];
  procedures?: { code: Code; date?: IsoDate; kind: 'principal' | 'other' }[];
  drgCode?: string;
}

export interface Ndc {
  code: string;
  quantity?: string;
  unit?: string;
}

export interface ServiceLine {
  /** 1-based line number (X12 LX01, FHIR item.sequence). */
  sequence: number;
  /** CPT/HCPCS (professional, dental CDT) procedure. */
  procedure?: Code;
  /** NUBC revenue code (institutional). */
  revenueCode?: Code;
  modifiers?: string[];
  units: string;
  /** X12 unit basis: UN units, MJ minutes, DA days (837I SV204), F2/ML/GR/ME drug measures. */
  unitType?: 'UN' | 'MJ' | 'DA' | 'F2' | 'ML' | 'GR' | 'ME';
  charge: Money;
  unitPrice?: Money;
  serviceDate?: Period;
  placeOfService?: Code;
  ndc?: Ndc;
  /** 1-based pointers into `diagnoses`, in priority order (X12 allows four). */
  diagnosisPointers?: number[];
  renderingProvider?: Provider;
  priorAuthorizationNumber?: string;
  /** Dental: tooth number and surfaces. */
  tooth?: { number: string; surfaces?: string[] }[];
  lineControlNumber?: string;
  extensions?: Record<string, unknown>;
}

export interface Attachment {
  /** Report type code (X12 PWK01), e.g. 09 progress report. */
  reportType: string;
  /** Transmission code (X12 PWK02): AA available on request, BM by mail, EL electronic … */
  transmission: string;
  controlNumber?: string;
}

export interface Provenance {
  /** Source system id (the inbound connector or API client). */
  source: string;
  format: string;
  messageId?: string;
  /** Control numbers of the wire message: ISA13, GS06, ST02, MSH-10, FHIR Bundle/Claim id. */
  controlNumbers?: Record<string, string>;
  /** Mapping that produced this object, `name@version`. */
  mapping: string;
  receivedAt?: string;
}

export type ClaimType = 'professional' | 'institutional' | 'dental';
export type ClaimUse = 'claim' | 'preauthorization' | 'predetermination';
export type ClaimFrequency = 'original' | 'replacement' | 'void';
export type ClaimStatus =
  'received' | 'validated' | 'held' | 'submitted' | 'acknowledged' | 'rejected' | 'adjudicated' | 'paid' | 'denied' | 'posted';

export interface Claim {
  resourceType: 'Claim';
  /** Hub id (uuid), assigned when the claim is stored. */
  id?: string;
  /** Patient control number (X12 CLM01, FHIR Claim.identifier). */
  claimNumber: string;
  type: ClaimType;
  use: ClaimUse;
  frequency: ClaimFrequency;
  status: ClaimStatus;
  currency: string;
  totalCharge: Money;
  patientPaid?: Money;
  billablePeriod?: Period;
  createdDate?: IsoDate;
  patient: Person;
  /** The first is the coverage the claim is billed to (FHIR focal insurance, X12 2000B); the others follow for coordination of benefits. */
  coverages: Coverage[];
  providers: {
    billing: Provider;
    payTo?: Provider;
    rendering?: Provider;
    referring?: Provider;
    attending?: Provider;
    operating?: Provider;
    supervising?: Provider;
    facility?: Provider;
  };
  placeOfService?: Code;
  diagnoses: Diagnosis[];
  institutional?: InstitutionalInfo;
  serviceLines: ServiceLine[];
  priorAuthorizationNumber?: string;
  referralNumber?: string;
  /** Payer's claim control number, required on replacement and void claims. */
  originalClaimNumber?: string;
  accident?: { date?: IsoDate; causes: string[]; state?: string };
  attachments?: Attachment[];
  provenance: Provenance;
  extensions?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Prior authorization (X12 278 005010X217, Da Vinci PAS Claim / ClaimResponse)

/**
 * Where a prior authorization stands. `requested` until a decision arrives; the others follow
 * 278 HCR01 (A1 approved, A3 denied, A4 pended, A6 modified, C cancelled, NA not required) and
 * PAS reviewAction codes.
 */
export type PriorAuthorizationStatus = 'requested' | 'approved' | 'denied' | 'pended' | 'modified' | 'cancelled' | 'not-required';

/** A payer's decision on the whole request or on one service (278 HCR, PAS reviewAction). */
export interface PriorAuthorizationDecision {
  status: Exclude<PriorAuthorizationStatus, 'requested'>;
  /** Certification (authorization) number the claim must later quote (HCR02, preAuthRef). */
  certificationNumber?: string;
  /** Why (HCR03 X12 306 codes, PAS reviewActionCode). */
  reasonCodes?: Code[];
  /** Dates the certification is valid for (278 DTP*AAH / 2000F DTP*472, preAuthPeriod). */
  validityPeriod?: Period;
  decisionDate?: IsoDate;
  /** Units approved when they differ from the units asked for (modified decisions). */
  approvedUnits?: string;
  note?: string;
}

/** One service asked for (278 loop 2000F, PAS Claim.item). */
export interface RequestedService {
  sequence: number;
  /** CPT/HCPCS/CDT procedure (SV1/SV3 in 2000F, item.productOrService). */
  procedure?: Code;
  /** NUBC revenue code (SV2 in 2000F). */
  revenueCode?: Code;
  /** X12 service type code (UM03, e.g. 1 medical care, 48 hospital inpatient). */
  serviceType?: Code;
  modifiers?: string[];
  units?: string;
  /** Unit basis for `units` (HSD01: DY days, VS visits, HS hours, UN units …). */
  unitType?: string;
  serviceDate?: Period;
  placeOfService?: Code;
  /** 1-based pointers into `diagnoses`. */
  diagnosisPointers?: number[];
  servicingProvider?: Provider;
  decision?: PriorAuthorizationDecision;
  extensions?: Record<string, unknown>;
}

export interface PriorAuthorization {
  resourceType: 'PriorAuthorization';
  id?: string;
  /** A request (278 BHT02=13, PAS Claim) or a payer's decision on one (BHT02=11, ClaimResponse). */
  kind: 'request' | 'decision';
  /** Requester's tracking number (TRN02 in 2000E, PAS Claim.identifier). */
  requestNumber: string;
  status: PriorAuthorizationStatus;
  /** Review category (UM01: AR admission review, HS health services review, SC specialty care). */
  category?: Code;
  /** Certification type (UM02: I initial, 3 cancel, 4 extension, S revised). */
  certificationType?: Code;
  /** Overall decision (2000E HCR); services may carry their own. */
  decision?: PriorAuthorizationDecision;
  patient: Person;
  /** Subscriber, member id and the payer's plan. */
  coverage: Coverage;
  /** The utilization management organization deciding (2010A UMO, PAS Claim.insurer). */
  payer: Payer;
  providers: {
    requesting: Provider;
    servicing?: Provider;
    facility?: Provider;
    attending?: Provider;
  };
  diagnoses?: Diagnosis[];
  services: RequestedService[];
  /** When the patient is admitted or the care happens (DTP*435 / DTP*472 in 2000E). */
  eventPeriod?: Period;
  provenance: Provenance;
  extensions?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Remittance (X12 835 005010X221A1, FHIR ExplanationOfBenefit)

/** CAS01 claim adjustment group: contractual, patient responsibility, other, payer initiated, correction. */
export type AdjustmentGroup = 'CO' | 'PR' | 'OA' | 'PI' | 'CR';

export interface Adjustment {
  group: AdjustmentGroup;
  /** Claim adjustment reason code (system CARC). */
  reason: Code;
  /** Positive reduces the payment, negative increases it (835 CAS03). */
  amount: Money;
  quantity?: string;
}

/** 835 CLP02 claim status, spelled out. */
export type ClaimPaymentStatus =
  | 'processed-primary'
  | 'processed-secondary'
  | 'processed-tertiary'
  | 'denied'
  | 'processed-primary-forwarded'
  | 'processed-secondary-forwarded'
  | 'processed-tertiary-forwarded'
  | 'reversal'
  | 'not-our-claim'
  | 'predetermination';

/** Payment detail of one service line (835 loop 2110 SVC, EOB.item.adjudication). */
export interface ServiceLinePayment {
  /** Line item control number the provider sent (REF*6R), to match the claim's line. */
  lineControlNumber?: string;
  procedure?: Code;
  revenueCode?: Code;
  modifiers?: string[];
  charge: Money;
  paid: Money;
  /** Allowed amount (AMT*B6). */
  allowed?: Money;
  units?: string;
  serviceDate?: Period;
  adjustments?: Adjustment[];
  /** Remittance advice remark codes (LQ*HE, system RARC). */
  remarkCodes?: Code[];
}

/** One adjudicated claim (835 loop 2100 CLP, one EOB). */
export interface ClaimPayment {
  /** The provider's patient control number (CLP01), equal to Claim.claimNumber. */
  claimNumber: string;
  status: ClaimPaymentStatus;
  charge: Money;
  paid: Money;
  patientResponsibility?: Money;
  /** Payer's claim control number (CLP07); quote it on replacement and void claims. */
  payerClaimNumber?: string;
  /** Claim filing indicator (CLP06, e.g. MC, MB, 12). */
  filingIndicator?: string;
  patient?: Person;
  memberId?: string;
  renderingProvider?: Provider;
  /** Statement dates (DTM*232/233). */
  period?: Period;
  adjustments?: Adjustment[];
  remarkCodes?: Code[];
  serviceLines?: ServiceLinePayment[];
  extensions?: Record<string, unknown>;
}

/** Provider-level adjustment (835 PLB): positive amounts reduce the payment. */
export interface ProviderAdjustment {
  /** PLB03-1 adjustment reason (WO overpayment recovery, L6 interest, FB forwarding balance …). */
  reason: Code;
  /** PLB03-2 reference (often the payer claim number the recovery relates to). */
  reference?: string;
  amount: Money;
  /** PLB02 end of the provider's fiscal period. */
  fiscalPeriodDate?: IsoDate;
}

export interface Remittance {
  resourceType: 'Remittance';
  id?: string;
  currency: string;
  payer: Payer;
  payee: Provider;
  payment: {
    /** BPR04: ACH, CHK check, BOP financial institution option, FWT wire, NON no payment. */
    method: 'ACH' | 'CHK' | 'BOP' | 'FWT' | 'NON';
    /** Total actually paid (BPR02); may be 0 or, with recoveries, negative. */
    amount: Money;
    date: IsoDate;
    /** Check or EFT trace number (TRN02): reassociates the money with this remittance. */
    traceNumber: string;
  };
  productionDate?: IsoDate;
  claimPayments: ClaimPayment[];
  providerAdjustments?: ProviderAdjustment[];
  provenance: Provenance;
  extensions?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Acknowledgement (HL7 ACK, X12 999 / TA1 / 277CA, FHIR ClaimResponse outcome)

export type AcknowledgementKind = 'hl7-ack' | 'x12-999' | 'x12-ta1' | 'x12-277ca' | 'fhir-claimresponse';

/**
 * accepted / accepted-with-errors / partially-accepted / rejected follow X12 (AK9, IK5, TA104:
 * A, E, P, R) and HL7 AA/CA, CE, AR/CR; `error` is HL7 AE/CE (could not process, fix and resend);
 * `pending` is a FHIR ClaimResponse outcome `queued`.
 */
export type AcknowledgementStatus = 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected' | 'error' | 'pending';

/** One thing acknowledged: an interchange, group, transaction set, HL7 message or claim. */
export interface AcknowledgedItem {
  level: 'interchange' | 'group' | 'transaction-set' | 'message' | 'claim';
  /** ISA13, GS06, ST02 (999 AK1/AK2), MSH-10 (MSA-2), CLM01 / Claim.identifier (277CA, FHIR). */
  controlNumber: string;
  status: AcknowledgementStatus;
  /** 277CA REF*1K / ClaimResponse id: the payer's number for an accepted claim. */
  payerClaimNumber?: string;
  /** Status codes as sent (277CA STC01 category:status, IK5/AK9 codes, TA105 note code). */
  statusCodes?: Code[];
  /** 277CA STC04: the charge the payer received. */
  charge?: Money;
}

/** Where an error sits, in the terms of the acknowledged format. */
export interface ErrorLocation {
  /** X12 transaction set control number (AK2-02) or HL7 message control id. */
  controlNumber?: string;
  /** X12 segment id (IK301) and its position in the transaction set (IK302). */
  segment?: string;
  segmentPosition?: number;
  /** X12 loop id (IK303), e.g. 2300. */
  loop?: string;
  /** X12 element position (IK401-1), component (IK401-2), repetition (IK401-3). */
  element?: number;
  component?: number;
  repetition?: number;
  /** HL7 ERR-2 location, e.g. PID-3.1. */
  field?: string;
  /** FHIR expression, e.g. Claim.item[0].net. */
  expression?: string;
}

export interface AcknowledgementError {
  location: ErrorLocation;
  /** Error code with its system (X12 IK304/IK403, HL7 table 0357, OperationOutcome code). */
  code: Code;
  severity: 'error' | 'warning';
  message?: string;
  /** Bad data as sent (IK404), when the acknowledgement copies it. */
  badValue?: string;
}

export interface Acknowledgement {
  resourceType: 'Acknowledgement';
  id?: string;
  kind: AcknowledgementKind;
  /** Overall outcome (999 AK9, TA1 TA104, MSA-1, ClaimResponse.outcome). */
  status: AcknowledgementStatus;
  /** The acknowledgement's own control number (ST02 / ISA13 / MSH-10 / ClaimResponse id). */
  controlNumber?: string;
  /** When it was produced (ISO 8601 date-time). */
  createdAt?: string;
  /** Who sent it (clearinghouse or payer). */
  sender?: Organization;
  acknowledged: AcknowledgedItem[];
  errors: AcknowledgementError[];
  provenance: Provenance;
  extensions?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Patient update (HL7 ADT^A04 register, ADT^A08 update): what a registration system says about a
// patient now, for the hub to record against the patient's open claims.

export type PatientUpdateEvent = 'register' | 'update';

export interface PatientUpdate {
  resourceType: 'PatientUpdate';
  id?: string;
  /** register: the patient was registered (A04); update: the patient's data changed (A08). */
  event: PatientUpdateEvent;
  /** The trigger as sent, e.g. { system: 'HL7-0003', code: 'A08' }. */
  trigger: Code;
  /** When it happened, ISO 8601 as precise as the sender was (EVN-2, else MSH-7): a date, or a date-time with its offset when sent. */
  occurredAt: string;
  /** Who registered the patient (MSH-4 sending facility namespace id). */
  sendingFacility: string;
  /**
   * The patient. `identifiers` is never empty (a rule); the first is the one claims are matched on
   * (the medical record number when one is typed MR). Claims made from the same sender carry the
   * same identifiers (same type, system and value), so equal system + value finds them.
   */
  patient: Person;
  /** Patient account number (PID-18), the claim number of claims made per account. */
  accountNumber?: string;
  /** Visit number (PV1-19), the claim number of claims made per visit. */
  visitNumber?: string;
  /** The patient's coverages now, billed order first (IN1-1). */
  coverages?: Coverage[];
  provenance: Provenance;
  extensions?: Record<string, unknown>;
}

/** Every canonical object, told apart by `resourceType`. */
export type CanonicalResource = Claim | PriorAuthorization | Remittance | Acknowledgement | PatientUpdate;
export type CanonicalResourceType = CanonicalResource['resourceType'];
