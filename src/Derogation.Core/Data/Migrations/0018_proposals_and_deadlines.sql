-- Decisions and measures as proposals: prepared by the reviewer, issued only when a signatory signs them.
CREATE TABLE proposals (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    act character varying(20) NOT NULL,
    outcome character varying(30) NULL,
    reasons character varying(20000) NOT NULL,
    conditions jsonb NOT NULL,
    correction character varying(20000) NULL,
    other_recipients jsonb NOT NULL,
    signatory_user_id uuid NOT NULL,
    proposed_by_user_id uuid NOT NULL,
    proposed_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    revision integer NOT NULL,
    state character varying(20) NOT NULL,
    return_comment character varying(4000) NULL,
    returned_at timestamp with time zone NULL,
    returned_by_user_id uuid NULL,
    signed_at timestamp with time zone NULL,
    signed_by_user_id uuid NULL,
    rectifies_document_id uuid NULL,
    letter_document_id uuid NULL,
    verification_code character varying(32) NULL,
    previous_conditions jsonb NULL,
    CONSTRAINT pk_proposals PRIMARY KEY (id),
    CONSTRAINT fk_proposals_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_proposals_application_id_state ON proposals (application_id, state);
CREATE INDEX ix_proposals_state ON proposals (state);
CREATE UNIQUE INDEX ix_proposals_verification_code ON proposals (verification_code);

-- Information requests: a reminder before the deadline, the holder told once it has passed, cancellation with a reason.
ALTER TABLE information_requests
    ADD COLUMN reminder_sent_at timestamp with time zone NULL,
    ADD COLUMN overdue_notified_at timestamp with time zone NULL,
    ADD COLUMN cancelled_at timestamp with time zone NULL,
    ADD COLUMN cancelled_by_user_id uuid NULL,
    ADD COLUMN cancel_reason character varying(4000) NULL;
