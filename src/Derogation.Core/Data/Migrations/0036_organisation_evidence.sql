-- An organisation's evidence file (up to 10 MB) leaves the organisations row for a table of its own: organisations
-- are read with nearly every application and listed whole on administrators' pages, and none of those reads should
-- carry a file. Its name and date stay on the organisation.
CREATE TABLE organisation_evidence (
    organisation_id uuid NOT NULL,
    content bytea NOT NULL,
    CONSTRAINT pk_organisation_evidence PRIMARY KEY (organisation_id),
    CONSTRAINT fk_organisation_evidence_organisations_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id) ON DELETE CASCADE
);

INSERT INTO organisation_evidence (organisation_id, content)
SELECT id, evidence_content FROM organisations WHERE evidence_content IS NOT NULL;

ALTER TABLE organisations DROP COLUMN evidence_content;
