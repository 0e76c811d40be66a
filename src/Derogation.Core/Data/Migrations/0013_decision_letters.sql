-- Decision letters: others named in copy, the verification code printed on the letter, the letter issued.
ALTER TABLE decisions ADD COLUMN other_recipients jsonb NOT NULL DEFAULT '[]';
ALTER TABLE decisions ALTER COLUMN other_recipients DROP DEFAULT;
ALTER TABLE decisions ADD COLUMN verification_code character varying(32);
ALTER TABLE decisions ADD COLUMN letter_document_id uuid;

CREATE UNIQUE INDEX ix_decisions_verification_code ON decisions (verification_code);
