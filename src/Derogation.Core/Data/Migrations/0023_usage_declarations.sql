-- Uses of a granted derogation declared by its manufacturer or filer: year, establishment, number of patients —
-- nothing identifying — counted against the decision's maximum number of patients.
CREATE TABLE usage_declarations (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    year integer NOT NULL,
    establishment character varying(200) NOT NULL,
    patients integer NOT NULL,
    declared_at timestamp with time zone NOT NULL,
    declared_by_user_id uuid NOT NULL,
    CONSTRAINT pk_usage_declarations PRIMARY KEY (id),
    CONSTRAINT fk_usage_declarations_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);
CREATE INDEX ix_usage_declarations_application_id ON usage_declarations (application_id);
