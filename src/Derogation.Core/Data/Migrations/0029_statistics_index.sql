-- The statistics read the applications filed in a period (by default the last twelve months of five years or more).
CREATE INDEX ix_applications_submitted_at ON applications (submitted_at);
