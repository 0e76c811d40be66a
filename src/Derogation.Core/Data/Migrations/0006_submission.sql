-- Submission: reference numbers without gaps, frozen versions of the answers, and the documents the portal
-- issues (deposit receipts, later decision letters), stored once with their SHA-256.
CREATE TABLE reference_counters (
    prefix character varying(3) NOT NULL,
    year integer NOT NULL,
    last_number integer NOT NULL,
    CONSTRAINT pk_reference_counters PRIMARY KEY (prefix, year)
);

CREATE TABLE application_versions (
    application_id uuid NOT NULL,
    version integer NOT NULL,
    answers jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid NOT NULL,
    CONSTRAINT pk_application_versions PRIMARY KEY (application_id, version),
    CONSTRAINT fk_application_versions_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE TABLE issued_documents (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    file_name character varying(200) NOT NULL,
    content bytea NOT NULL,
    sha256 character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_issued_documents PRIMARY KEY (id),
    CONSTRAINT fk_issued_documents_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_issued_documents_application_id_kind ON issued_documents (application_id, kind);
