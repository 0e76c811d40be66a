-- Amendments of a granted derogation's conditions: the conditions as they stand from the amendment, and those it
-- replaced (the decision row holds the current ones).
ALTER TABLE grant_measures ADD COLUMN conditions jsonb;
ALTER TABLE grant_measures ADD COLUMN previous_conditions jsonb;
-- Questions asked after the grant: the decision is not reopened, the application keeps its status.
ALTER TABLE information_requests ADD COLUMN after_decision boolean NOT NULL DEFAULT FALSE;
ALTER TABLE information_requests ALTER COLUMN after_decision DROP DEFAULT;
ALTER TABLE information_requests ADD COLUMN answer_attachment jsonb;
