-- The message thread of an application between the applicant's side and ANSM (distinct from information requests).
CREATE TABLE case_messages (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    author_user_id uuid NOT NULL,
    from_ansm boolean NOT NULL,
    text character varying(4000) NOT NULL,
    attachment jsonb NULL,
    sent_at timestamp with time zone NOT NULL,
    read_at timestamp with time zone NULL,
    CONSTRAINT pk_case_messages PRIMARY KEY (id),
    CONSTRAINT fk_case_messages_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_case_messages_application_id_sent_at ON case_messages (application_id, sent_at);
