-- MDR Art. 59(2), IVDR Art. 54(2): ANSM informs the Commission and the other member states of every derogation granted
-- for other than a single patient. Which grants and measures were notified, when, and by whom.
CREATE TABLE eu_notification_marks (
    source_id uuid NOT NULL,
    application_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    sent_by_user_id uuid NOT NULL,
    CONSTRAINT pk_eu_notification_marks PRIMARY KEY (source_id),
    CONSTRAINT fk_eu_notification_marks_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE RESTRICT
);

CREATE INDEX ix_eu_notification_marks_application_id ON eu_notification_marks (application_id);
