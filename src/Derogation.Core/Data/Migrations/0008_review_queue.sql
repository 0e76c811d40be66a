-- What the reviewers' queue filters and sorts on, kept beside the answers at submission.
ALTER TABLE applications ADD COLUMN legal_basis character varying(30);
ALTER TABLE applications ADD COLUMN urgency character varying(20);
ALTER TABLE applications ADD COLUMN target_date date;
ALTER TABLE applications ADD COLUMN assigned_reviewer_id uuid;
CREATE INDEX ix_applications_status_target_date ON applications (status, target_date);
CREATE INDEX ix_applications_assigned_reviewer_id ON applications (assigned_reviewer_id);
