-- Who is who (docs/journeys/individual-application.md, "Who files").

-- Organisations: verified by an ANSM administrator (evidence uploaded by the organisation); a manufacturer created
-- from a verified mandate letter has a regulatory contact address until one of its people claims it.
ALTER TABLE organisations
    ADD COLUMN contact_email character varying(256) NULL,
    ADD COLUMN verified_at timestamp with time zone NULL,
    ADD COLUMN verified_by_user_id uuid NULL,
    ADD COLUMN evidence_file_name character varying(255) NULL,
    ADD COLUMN evidence_content bytea NULL,
    ADD COLUMN evidence_submitted_at timestamp with time zone NULL;

-- ANSM is itself; a manufacturer created when an administrator verified a mandate letter was checked then.
UPDATE organisations SET verified_at = created_at WHERE kind = 'Ansm';
UPDATE organisations o SET verified_at = m.decided_at
    FROM mandates m
    WHERE m.manufacturer_id = o.id AND m.letter_content IS NOT NULL AND m.decided_at IS NOT NULL AND o.verified_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM users u WHERE u.organisation_id = o.id);

-- A mandate letter names the manufacturer's SRN (when it has one) and its regulatory contact.
ALTER TABLE mandates
    ADD COLUMN declared_manufacturer_srn character varying(20) NULL,
    ADD COLUMN declared_manufacturer_email character varying(256) NULL;

-- The mandate a consultancy, importer or distributor filed under, established at submission.
ALTER TABLE applications ADD COLUMN mandate_id uuid NULL;
ALTER TABLE applications ADD CONSTRAINT fk_applications_mandates_mandate_id FOREIGN KEY (mandate_id) REFERENCES mandates (id) ON DELETE RESTRICT;
CREATE INDEX ix_applications_mandate_id ON applications (mandate_id);

-- The prescriber's part: a single-use link sent by the applicant (or with a reviewer's information request).
CREATE TABLE prescriber_invitations (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    email character varying(256) NOT NULL,
    token_hash character varying(64) NOT NULL,
    information_request_id uuid NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone NULL,
    created_by_user_id uuid NOT NULL,
    CONSTRAINT pk_prescriber_invitations PRIMARY KEY (id),
    CONSTRAINT fk_prescriber_invitations_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_prescriber_invitations_token_hash ON prescriber_invitations (token_hash);
CREATE INDEX ix_prescriber_invitations_application_id ON prescriber_invitations (application_id);
