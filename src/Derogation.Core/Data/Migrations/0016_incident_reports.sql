-- Incident reports about devices used under a derogation.
CREATE TABLE incident_reports (
    id uuid NOT NULL,
    number character varying(20) NOT NULL,
    application_id uuid NOT NULL,
    reporter_role character varying(20) NOT NULL,
    reporter_name character varying(200) NOT NULL,
    reporter_email character varying(320) NOT NULL,
    concerns_patient boolean NOT NULL,
    event_year integer NULL,
    event_date date NULL,
    risk_only boolean NOT NULL,
    description character varying(8000) NOT NULL,
    reported_at timestamp with time zone NOT NULL,
    reported_by_user_id uuid NULL,
    CONSTRAINT pk_incident_reports PRIMARY KEY (id),
    CONSTRAINT fk_incident_reports_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_incident_reports_application_id ON incident_reports (application_id);
CREATE UNIQUE INDEX ix_incident_reports_number ON incident_reports (number);
