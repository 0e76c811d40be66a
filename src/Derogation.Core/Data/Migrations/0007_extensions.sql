-- An extension is a new global application linked to the derogation it extends.
ALTER TABLE applications ADD COLUMN extends_application_id uuid;
ALTER TABLE applications ADD CONSTRAINT fk_applications_applications_extends_application_id
    FOREIGN KEY (extends_application_id) REFERENCES applications (id) ON DELETE RESTRICT;
CREATE INDEX ix_applications_extends_application_id ON applications (extends_application_id);
