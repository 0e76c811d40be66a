-- Single-use links to a letter, for recipients without an account (when configured instead of attachments).
CREATE TABLE letter_links (
    id uuid NOT NULL,
    token_hash character varying(64) NOT NULL,
    application_id uuid NOT NULL,
    issued_document_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone NULL,
    CONSTRAINT pk_letter_links PRIMARY KEY (id),
    CONSTRAINT fk_letter_links_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX ix_letter_links_token_hash ON letter_links (token_hash);

CREATE INDEX ix_letter_links_application_id ON letter_links (application_id);
