-- Information requests (questions and answers during the review) and the outbox of messages to send.
CREATE TABLE information_requests (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    round integer NOT NULL,
    message character varying(8000) NOT NULL,
    amendable_sections text[] NOT NULL,
    answer_deadline date NULL,
    attachment jsonb NULL,
    requested_at timestamp with time zone NOT NULL,
    requested_by_user_id uuid NOT NULL,
    answer character varying(8000) NULL,
    answered_at timestamp with time zone NULL,
    answered_by_user_id uuid NULL,
    answer_version integer NULL,
    CONSTRAINT pk_information_requests PRIMARY KEY (id),
    CONSTRAINT fk_information_requests_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX ix_information_requests_application_id_round ON information_requests (application_id, round);

CREATE TABLE outbox_messages (
    id uuid NOT NULL,
    recipient character varying(320) NOT NULL,
    subject character varying(300) NOT NULL,
    body text NOT NULL,
    application_id uuid NULL,
    attachment_document_id uuid NULL,
    purpose character varying(50) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone NULL,
    last_error character varying(200) NULL,
    CONSTRAINT pk_outbox_messages PRIMARY KEY (id)
);

CREATE INDEX ix_outbox_messages_application_id ON outbox_messages (application_id);
-- The sender's query: messages not yet sent, by when they are due.
CREATE INDEX ix_outbox_messages_next_attempt_at ON outbox_messages (next_attempt_at) WHERE sent_at IS NULL;
