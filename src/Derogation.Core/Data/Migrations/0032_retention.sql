-- Keeping data only as long as needed (docs/retention.md): reminders before an untouched draft is deleted (0 by default,
-- so that every way of inserting an application, bulk loads included, starts with none), and the
-- date an individual application's patient data was purged.
ALTER TABLE applications ADD COLUMN retention_reminders integer NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN retention_reminded_at timestamp with time zone NULL;
ALTER TABLE applications ADD COLUMN patient_data_purged_at timestamp with time zone NULL;

-- The purge looks for decided individual applications not yet purged; the outbox purge for old messages.
CREATE INDEX ix_outbox_messages_created_at ON outbox_messages (created_at);
