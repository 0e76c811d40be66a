-- Reasoned decisions: outcome, reasons (always), conditions of a grant, signatory; one per application.
ALTER TABLE users ADD COLUMN job_title character varying(200);

CREATE TABLE decisions (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    outcome character varying(30) NOT NULL,
    reasons character varying(20000) NOT NULL,
    conditions jsonb NOT NULL,
    signatory_user_id uuid NOT NULL,
    signatory_name character varying(200) NOT NULL,
    signatory_title character varying(200) NOT NULL,
    version integer NOT NULL,
    decided_at timestamp with time zone NOT NULL,
    decided_by_user_id uuid NOT NULL,
    CONSTRAINT pk_decisions PRIMARY KEY (id),
    CONSTRAINT fk_decisions_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX ix_decisions_application_id ON decisions (application_id);
