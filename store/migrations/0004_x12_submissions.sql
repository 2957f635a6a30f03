-- What each x12 delivery submitted: every claim's interchange (ISA13), functional group (GS06) and
-- transaction set (ST02), recorded before the 837 file is written. A retry of the delivery writes
-- the same interchange again from these rows; a 999, TA1 or 277CA finds the claims it answers here.
CREATE TABLE x12_submissions (
  claim_id                        uuid NOT NULL REFERENCES claims(id),
  message_id                      uuid NOT NULL REFERENCES messages(id),
  destination_id                  text NOT NULL,
  -- control numbers as written: ISA13 nine digits, GS06, ST02
  interchange_control_number      text NOT NULL,
  group_control_number            text NOT NULL,
  transaction_set_control_number  text NOT NULL,
  claim_number                    text NOT NULL,
  -- the instant ISA09/ISA10 and GS04/GS05 are written from, on every attempt
  submitted_at                    timestamptz NOT NULL,
  PRIMARY KEY (message_id, destination_id, claim_id)
);
CREATE INDEX x12_submissions_interchange ON x12_submissions (interchange_control_number);
CREATE INDEX x12_submissions_group ON x12_submissions (group_control_number, transaction_set_control_number);
