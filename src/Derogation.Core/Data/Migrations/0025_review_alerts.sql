-- Reviewers who opt in to the urgent-application alerts, and when an urgent application was last announced (an
-- untaken vital emergency is announced again after ReviewAlerts:ReannounceAfterMinutes).
ALTER TABLE users ADD COLUMN receives_urgent_alerts boolean NOT NULL DEFAULT FALSE;
ALTER TABLE users ALTER COLUMN receives_urgent_alerts DROP DEFAULT;
ALTER TABLE applications ADD COLUMN urgency_announced_at timestamp with time zone;
