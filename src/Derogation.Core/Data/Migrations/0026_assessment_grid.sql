-- The reviewers' assessment grid: one row per criterion of a case (ANSM only). Grant and refusal proposals need every
-- applicable criterion given an opinion and a comment.
CREATE TABLE assessment_entries (
    application_id uuid NOT NULL,
    criterion character varying(30) NOT NULL,
    opinion character varying(20),
    comment character varying(4000),
    updated_by_user_id uuid NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_assessment_entries PRIMARY KEY (application_id, criterion),
    CONSTRAINT fk_assessment_entries_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);
