-- ANSM's internal notes on a case, never shown to the applicant.
CREATE TABLE internal_notes (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    author_user_id uuid NOT NULL,
    text character varying(4000) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_internal_notes PRIMARY KEY (id),
    CONSTRAINT fk_internal_notes_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_internal_notes_application_id ON internal_notes (application_id);
