-- Applications: who files them, for which manufacturer, and where they stand. The row version is PostgreSQL's
-- own xmin system column, so it needs no column here.
CREATE TABLE applications (
    id uuid NOT NULL,
    kind character varying(20) NOT NULL,
    status character varying(30) NOT NULL,
    reference character varying(20),
    filing_organisation_id uuid NOT NULL,
    created_by_user_id uuid NOT NULL,
    manufacturer_id uuid,
    device_name character varying(300),
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    submitted_at timestamp with time zone,
    CONSTRAINT pk_applications PRIMARY KEY (id),
    CONSTRAINT fk_applications_organisations_filing_organisation_id FOREIGN KEY (filing_organisation_id) REFERENCES organisations (id) ON DELETE RESTRICT,
    CONSTRAINT fk_applications_organisations_manufacturer_id FOREIGN KEY (manufacturer_id) REFERENCES organisations (id) ON DELETE RESTRICT
);

CREATE INDEX ix_applications_filing_organisation_id_status ON applications (filing_organisation_id, status);

CREATE INDEX ix_applications_manufacturer_id_status ON applications (manufacturer_id, status);

CREATE UNIQUE INDEX ix_applications_reference ON applications (reference);
