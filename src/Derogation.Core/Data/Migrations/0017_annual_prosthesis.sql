-- The annual prosthesis derogation (docs/adr/0006): recaps at each anniversary, extensions by twelve months, and
-- reminders keyed by the end of validity they announce (a derogation extended is reminded again).
CREATE TABLE annual_recaps (
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    period_end date NOT NULL,
    lines jsonb NOT NULL,
    extension_requested boolean NOT NULL,
    comment character varying(4000) NULL,
    submitted_at timestamp with time zone NOT NULL,
    submitted_by_user_id uuid NOT NULL,
    CONSTRAINT pk_annual_recaps PRIMARY KEY (id),
    CONSTRAINT fk_annual_recaps_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX ix_annual_recaps_application_id_period_end ON annual_recaps (application_id, period_end);

ALTER TABLE grant_measures ADD COLUMN new_valid_until date NULL;

ALTER TABLE expiry_reminders ADD COLUMN valid_until date NOT NULL DEFAULT '-infinity';
ALTER TABLE expiry_reminders ALTER COLUMN valid_until DROP DEFAULT;
ALTER TABLE expiry_reminders DROP CONSTRAINT pk_expiry_reminders;
ALTER TABLE expiry_reminders ADD CONSTRAINT pk_expiry_reminders PRIMARY KEY (application_id, valid_until, days_before);
