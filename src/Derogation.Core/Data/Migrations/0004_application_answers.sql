-- The wizards' answers: one JSON document per application (sections of DOMAIN.md §3).
ALTER TABLE applications ADD COLUMN answers jsonb NOT NULL DEFAULT '{}';
ALTER TABLE applications ALTER COLUMN answers DROP DEFAULT;
