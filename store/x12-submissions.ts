// x12_submissions: which claims each x12 delivery sent in which interchange (ISA13), functional
// group (GS06) and transaction set (ST02). The x12 destination records a delivery's submission here
// before it writes the file; inbound acknowledgements (999, TA1, 277CA) find the claims they answer.
import type { Submission, SubmissionLedger, SubmittedClaim } from '../connectors/x12/submission.js';
import type { Db, Queryable } from './db.js';

interface SubmissionRow {
  claim_id: string;
  message_id: string;
  destination_id: string;
  interchange_control_number: string;
  group_control_number: string;
  transaction_set_control_number: string;
  claim_number: string;
  submitted_at: Date | string;
}

const COLUMNS = `claim_id, message_id, destination_id, interchange_control_number, group_control_number,
  transaction_set_control_number, claim_number, submitted_at`;

// Advisory lock class of submission records (the two-integer key space, apart from migrations').
const RECORD_LOCK_CLASS = 0x0c1a_0837;

function submittedClaim(row: SubmissionRow): SubmittedClaim {
  return {
    claimId: row.claim_id,
    claimNumber: row.claim_number,
    interchangeControlNumber: row.interchange_control_number,
    groupControlNumber: row.group_control_number,
    transactionSetControlNumber: row.transaction_set_control_number,
  };
}

async function recordedIn(db: Queryable, messageId: string, destinationId: string): Promise<Submission | undefined> {
  const { rows } = await db.query<SubmissionRow>(`SELECT ${COLUMNS} FROM x12_submissions WHERE message_id = $1 AND destination_id = $2`, [
    messageId,
    destinationId,
  ]);
  if (rows.length === 0) return undefined;
  return { messageId, destinationId, submittedAt: new Date(rows[0].submitted_at), claims: rows.map(submittedClaim) };
}

/** The x12 destinations' ledger: one submission per delivery (message, destination), never replaced. */
export function x12SubmissionLedger(db: Db): SubmissionLedger {
  return {
    recorded: (messageId, destinationId) => recordedIn(db, messageId, destinationId),
    record: (submission) =>
      db.transaction(async (tx) => {
        // Attempts of one delivery record one at a time; the first one's control numbers stand.
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          RECORD_LOCK_CLASS,
          `${submission.messageId} ${submission.destinationId}`,
        ]);
        const earlier = await recordedIn(tx, submission.messageId, submission.destinationId);
        if (earlier) return earlier;
        await tx.query(
          `INSERT INTO x12_submissions (${COLUMNS})
           SELECT claim_id, $1, $2, interchange_control_number, group_control_number, transaction_set_control_number, claim_number, $3
           FROM jsonb_to_recordset($4::jsonb) AS r(claim_id uuid, interchange_control_number text, group_control_number text,
                transaction_set_control_number text, claim_number text)`,
          [
            submission.messageId,
            submission.destinationId,
            submission.submittedAt.toISOString(),
            JSON.stringify(
              submission.claims.map((c) => ({
                claim_id: c.claimId,
                interchange_control_number: c.interchangeControlNumber,
                group_control_number: c.groupControlNumber,
                transaction_set_control_number: c.transactionSetControlNumber,
                claim_number: c.claimNumber,
              })),
            ),
          ],
        );
        return submission;
      }),
  };
}

/** Control numbers as an acknowledgement echoes them (TA101 → interchange, AK102 → group, AK202 → transactionSet). */
export interface SubmittedClaimFilter {
  interchange?: string;
  group?: string;
  transactionSet?: string;
  destination?: string;
}

export interface FoundSubmittedClaim extends SubmittedClaim {
  messageId: string;
  destinationId: string;
  submittedAt: Date;
}

const FILTER_COLUMNS: Record<keyof SubmittedClaimFilter, string> = {
  interchange: 'interchange_control_number',
  group: 'group_control_number',
  transactionSet: 'transaction_set_control_number',
  destination: 'destination_id',
};

/**
 * The submitted claims an acknowledgement covers: those whose control numbers equal every one given
 * (exactly as written). A TA1 names an interchange, a 999's AK1/AK2 a group and transaction set.
 */
export async function findSubmittedClaims(db: Queryable, filter: SubmittedClaimFilter): Promise<FoundSubmittedClaim[]> {
  const given = (Object.keys(FILTER_COLUMNS) as (keyof SubmittedClaimFilter)[]).filter((key) => filter[key] !== undefined);
  if (!given.some((key) => key !== 'destination'))
    throw new RangeError('findSubmittedClaims needs an interchange, group or transactionSet control number');
  const { rows } = await db.query<SubmissionRow>(
    `SELECT ${COLUMNS} FROM x12_submissions WHERE ${given.map((key, i) => `${FILTER_COLUMNS[key]} = $${i + 1}`).join(' AND ')}
     ORDER BY submitted_at, interchange_control_number, group_control_number, transaction_set_control_number, claim_number`,
    given.map((key) => filter[key]),
  );
  return rows.map((row) => ({
    ...submittedClaim(row),
    messageId: row.message_id,
    destinationId: row.destination_id,
    submittedAt: new Date(row.submitted_at),
  }));
}
