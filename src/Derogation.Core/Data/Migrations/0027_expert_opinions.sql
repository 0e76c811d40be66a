-- Opinions a reviewer asks of another ANSM user: the question, the documents to read, the deadline, the answer.
CREATE TABLE expert_opinions (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    requested_by_user_id uuid NOT NULL,
    expert_user_id uuid NOT NULL,
    question character varying(8000) NOT NULL,
    document_ids uuid[] NOT NULL,
    deadline date NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    reminder_sent_at timestamp with time zone NULL,
    answer character varying(8000) NULL,
    answer_attachment jsonb NULL,
    answered_at timestamp with time zone NULL,
    CONSTRAINT pk_expert_opinions PRIMARY KEY (id),
    CONSTRAINT fk_expert_opinions_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_expert_opinions_application_id ON expert_opinions (application_id);
CREATE INDEX ix_expert_opinions_expert_user_id ON expert_opinions (expert_user_id);
