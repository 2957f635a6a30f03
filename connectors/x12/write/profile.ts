// The trading-partner profile an outgoing interchange is addressed with: ISA and GS parties, and for
// claims the submitter (1000A) and receiver (1000B). Checked before anything is written, since a
// profile value the envelope cannot hold would be truncated (ISA06) or break the file.
import { ConfigError, type Issue } from '../../../canonical-model/errors.js';
import type { Delimiters } from '../segment.js';
import type { InterchangeParties, SegmentOut } from './serialize.js';
import { ValueWriter } from './values.js';

/** 005010 ISA05/ISA07 interchange ID qualifiers the HIPAA guides allow. */
const INTERCHANGE_ID_QUALIFIERS = ['01', '14', '20', '27', '28', '29', '30', '33', 'ZZ'] as const;

export interface InterchangeProfile extends InterchangeParties {
  /** GS02 application sender's code. */
  applicationSenderCode: string;
  /** GS03 application receiver's code. */
  applicationReceiverCode: string;
}

export interface SubmitterContact {
  /** PER02. */
  name?: string;
  /** At least one of phone (TE), email (EM), fax (FX). */
  phone?: string;
  email?: string;
  fax?: string;
}

/** What an 837 needs besides the envelope: who submits (1000A) and who receives (1000B). */
export interface ClaimSubmitterProfile extends InterchangeProfile {
  submitter: {
    /** NM103: organization name, or a person's last name with `entityType: 'person'`. */
    name: string;
    firstName?: string;
    entityType?: 'person' | 'organization';
    /** NM109 (ETIN, qualifier 46). */
    id: string;
    contact: SubmitterContact;
  };
  receiver: { name: string; id: string };
}

/**
 * The issues (paths under `profile.`) of an envelope profile the ISA/GS cannot carry; a ConfigError
 * at once for delimiters that cannot separate an interchange.
 */
export function checkInterchangeProfile(profile: InterchangeProfile, delimiters: Delimiters): ValueWriter {
  checkDelimiters(delimiters);
  const v = new ValueWriter(delimiters);
  // Written as given (ISA pads them): a value the checks would have to trim or change is refused.
  const exact = (key: keyof InterchangeProfile, element: string, max: number, min = 1) => {
    const value = profile[key] as string | undefined;
    const before = v.issues.length;
    const written = v.required(value, `profile.${key}`, element, max, min);
    if (v.issues.length === before && written !== value)
      v.refuse(`profile.${key}`, 'x12-character', `${element}: "${value}" has spaces or characters the interchange cannot carry as given`);
  };
  v.code(profile.senderQualifier, 'profile.senderQualifier', 'ISA05', INTERCHANGE_ID_QUALIFIERS);
  exact('senderId', 'ISA06 interchange sender ID', 15);
  v.code(profile.receiverQualifier, 'profile.receiverQualifier', 'ISA07', INTERCHANGE_ID_QUALIFIERS);
  exact('receiverId', 'ISA08 interchange receiver ID', 15);
  if (profile.usage !== undefined) v.code(profile.usage, 'profile.usage', 'ISA15', ['P', 'T']);
  exact('applicationSenderCode', 'GS02 application sender code', 15, 2);
  exact('applicationReceiverCode', 'GS03 application receiver code', 15, 2);
  return v;
}

/** The 1000A and 1000B loops of an 837, or a ConfigError naming each profile value the envelope or they cannot hold. */
export function submitterAndReceiver(profile: ClaimSubmitterProfile, delimiters: Delimiters): SegmentOut[] {
  const v = checkInterchangeProfile(profile, delimiters);
  const { submitter, receiver } = profile;
  const person = submitter.entityType === 'person';
  const contact = submitter.contact;
  const numbers = [
    ['TE', v.text(contact.phone, 'profile.submitter.contact.phone', 'PER04 telephone', 256)],
    ['EM', v.text(contact.email, 'profile.submitter.contact.email', 'PER email', 256)],
    ['FX', v.text(contact.fax, 'profile.submitter.contact.fax', 'PER fax', 256)],
  ].filter(([, value]) => value !== undefined);
  if (numbers.length === 0) v.refuse('profile.submitter.contact', 'required', 'PER (1000A) needs a phone, email or fax number');
  const segments: SegmentOut[] = [
    [
      'NM1',
      '41',
      person ? '1' : '2',
      v.required(submitter.name, 'profile.submitter.name', 'NM103 submitter name (1000A)', 60),
      person ? v.text(submitter.firstName, 'profile.submitter.firstName', 'NM104 submitter first name (1000A)', 35) : undefined,
      undefined,
      undefined,
      undefined,
      '46',
      v.required(submitter.id, 'profile.submitter.id', 'NM109 submitter identifier (1000A)', 80, 2),
    ],
    ['PER', 'IC', v.text(contact.name, 'profile.submitter.contact.name', 'PER02 contact name', 60), ...numbers.slice(0, 3).flat()],
    [
      'NM1',
      '40',
      '2',
      v.required(receiver.name, 'profile.receiver.name', 'NM103 receiver name (1000B)', 60),
      undefined,
      undefined,
      undefined,
      undefined,
      '46',
      v.required(receiver.id, 'profile.receiver.id', 'NM109 receiver identifier (1000B)', 80, 2),
    ],
  ];
  throwConfigIssues(v.issues);
  return segments;
}

export function throwConfigIssues(issues: Issue[]): void {
  if (issues.length > 0)
    throw new ConfigError(`the trading-partner profile cannot be written: ${issues.map((i) => i.message).join('; ')}`, issues);
}

/** ISA fixes the delimiters: four different characters that no value could be mistaken for. */
function checkDelimiters(d: Delimiters): void {
  const all = [d.element, d.component, d.segment, ...(d.repetition === null ? [] : [d.repetition])];
  const usable = all.every((c) => c.length === 1 && !/[A-Za-z0-9 ]/.test(c)) && new Set(all).size === all.length;
  if (!usable)
    throw new ConfigError(`delimiters ${JSON.stringify(d)} cannot separate an interchange`, [
      { path: 'options.delimiters', rule: 'delimiters', message: 'four different single characters, none a letter, digit or space' },
    ]);
}
