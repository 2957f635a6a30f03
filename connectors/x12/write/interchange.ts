// One outgoing interchange from planned groups and transaction sets: control numbers reserved from
// the caller's source (store/counters.ts behind it in the hub), then each set's body built with its
// ST02 and the envelope written around them. Shared by the 837 and 278 writers.
import { ConfigError } from '../../../canonical-model/errors.js';
import type { Delimiters } from '../segment.js';
import { checkInterchangeProfile, throwConfigIssues, type InterchangeProfile } from './profile.js';
import { DEFAULT_DELIMITERS, interchangeText, type SegmentOut } from './serialize.js';

export type ControlNumberKind = 'interchange' | 'group' | 'transaction-set';

/**
 * Reserves `count` control numbers of one kind, never handed out before (1…999,999,999):
 * `(kind, count) => nextValues(db, \`x12.\${partner}.\${kind}\`, count)` with store/counters.ts.
 */
export type ReserveControlNumbers = (kind: ControlNumberKind, count: number) => Promise<readonly number[]>;

export interface InterchangeWriteOptions {
  controlNumbers: ReserveControlNumbers;
  /** ISA09/ISA10, GS04/GS05 and BHT04/BHT05 (UTC); default now. */
  now?: Date;
  delimiters?: Delimiters;
  /** Written after each segment terminator ('\n' for readable files); default none. */
  lineBreak?: string;
}

export interface PlannedTransactionSet {
  /** Indexes into the writer's input of what the set carries (claims, requests). */
  items: number[];
  /** The segments between ST and SE, given the set's ST02. */
  body(controlNumber: string): SegmentOut[];
}

export interface PlannedGroup {
  functionalIdentifier: string;
  /** GS08 and ST03. */
  version: string;
  transactionSet: string;
  transactionSets: PlannedTransactionSet[];
}

export interface WrittenInterchange {
  text: string;
  /** ISA13 as written: nine digits. */
  interchangeControlNumber: string;
  groups: {
    /** GS06. */
    controlNumber: string;
    version: string;
    transactionSets: { controlNumber: string; items: number[] }[];
  }[];
}

const CONTROL_NUMBER_MAX = 999_999_999;

export async function writeInterchange(
  profile: InterchangeProfile,
  groups: PlannedGroup[],
  options: InterchangeWriteOptions,
): Promise<WrittenInterchange> {
  const delimiters = options.delimiters ?? DEFAULT_DELIMITERS;
  throwConfigIssues(checkInterchangeProfile(profile, delimiters).issues);
  const setCount = groups.reduce((n, group) => n + group.transactionSets.length, 0);
  const [interchange] = await reserve(options.controlNumbers, 'interchange', 1);
  const groupNumbers = await reserve(options.controlNumbers, 'group', groups.length);
  const setNumbers = await reserve(options.controlNumbers, 'transaction-set', setCount);
  let nextSet = 0;
  const written = groups.map((group, g) => ({
    group,
    controlNumber: String(groupNumbers[g]),
    transactionSets: group.transactionSets.map((set) => ({ set, controlNumber: String(setNumbers[nextSet++]).padStart(4, '0') })),
  }));
  const interchangeControlNumber = String(interchange).padStart(9, '0');
  const text = interchangeText(
    {
      ...profile,
      controlNumber: interchangeControlNumber,
      date: options.now ?? new Date(),
      groups: written.map(({ group, controlNumber, transactionSets }) => ({
        functionalIdentifier: group.functionalIdentifier,
        senderCode: profile.applicationSenderCode,
        receiverCode: profile.applicationReceiverCode,
        controlNumber,
        version: group.version,
        transactionSets: transactionSets.map(({ set, controlNumber: st02 }) => ({
          id: group.transactionSet,
          controlNumber: st02,
          implementationReference: group.version,
          body: set.body(st02),
        })),
      })),
    },
    { delimiters, lineBreak: options.lineBreak },
  );
  return {
    text,
    interchangeControlNumber,
    groups: written.map(({ group, controlNumber, transactionSets }) => ({
      controlNumber,
      version: group.version,
      transactionSets: transactionSets.map(({ set, controlNumber: st02 }) => ({ controlNumber: st02, items: set.items })),
    })),
  };
}

async function reserve(source: ReserveControlNumbers, kind: ControlNumberKind, count: number): Promise<readonly number[]> {
  if (count === 0) return [];
  const numbers = await source(kind, count);
  const fits = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= CONTROL_NUMBER_MAX;
  if (numbers.length !== count || !numbers.every(fits))
    throw new ConfigError(`the control number source gave ${JSON.stringify(numbers)} for ${count} ${kind} control numbers`, [
      { path: 'options.controlNumbers', rule: 'control-number', message: `expected ${count} numbers from 1 to ${CONTROL_NUMBER_MAX}` },
    ]);
  return numbers;
}
