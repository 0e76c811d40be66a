-- An incident report keeps the reference its reporter typed; it is linked to a derogation only when one was granted
-- under that reference. The public form answers the same either way: it does not tell who holds which derogation.
ALTER TABLE incident_reports ALTER COLUMN application_id DROP NOT NULL;
ALTER TABLE incident_reports ADD COLUMN declared_reference character varying(20) NULL;
UPDATE incident_reports r SET declared_reference = a.reference FROM applications a WHERE a.id = r.application_id;
ALTER TABLE incident_reports ALTER COLUMN declared_reference SET NOT NULL;
