-- How long the clock was stopped before each decision, kept at signature (the statistics read it without joining the
-- requests). Earlier decisions get it from their requests: each from its sending to its answer, its cancellation or
-- the decision, whichever came first.
ALTER TABLE decisions ADD COLUMN clock_stopped_seconds double precision NOT NULL DEFAULT 0;
UPDATE decisions d SET clock_stopped_seconds = coalesce((
    SELECT sum(extract(epoch FROM least(coalesce(r.answered_at, r.cancelled_at, d.decided_at), d.decided_at) - r.requested_at))
    FROM information_requests r
    WHERE r.application_id = d.application_id AND NOT r.after_decision AND r.requested_at < d.decided_at), 0);
ALTER TABLE decisions ALTER COLUMN clock_stopped_seconds DROP DEFAULT;
