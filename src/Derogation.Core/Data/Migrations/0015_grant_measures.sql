-- Suspension, reinstatement and withdrawal of a granted derogation, each with its reasoned letter.
CREATE TABLE grant_measures (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    reasons character varying(20000) NOT NULL,
    signatory_user_id uuid NOT NULL,
    signatory_name character varying(200) NOT NULL,
    signatory_title character varying(200) NOT NULL,
    decided_at timestamp with time zone NOT NULL,
    decided_by_user_id uuid NOT NULL,
    verification_code character varying(32) NOT NULL,
    letter_document_id uuid NOT NULL,
    CONSTRAINT pk_grant_measures PRIMARY KEY (id),
    CONSTRAINT fk_grant_measures_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_grant_measures_application_id ON grant_measures (application_id);
CREATE UNIQUE INDEX ix_grant_measures_verification_code ON grant_measures (verification_code);

-- Expiry reminders already sent (one per derogation and threshold): several instances never send one twice.
CREATE TABLE expiry_reminders (
    application_id uuid NOT NULL,
    days_before integer NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_expiry_reminders PRIMARY KEY (application_id, days_before),
    CONSTRAINT fk_expiry_reminders_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);
