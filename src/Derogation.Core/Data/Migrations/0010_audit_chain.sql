-- A tamper-evident, append-only audit trail. Each event carries the hash of the previous event and its own hash
-- over its content and that previous hash, computed here in the database so that no code path can skip it.
ALTER TABLE audit_events ADD COLUMN from_state character varying(30);
ALTER TABLE audit_events ADD COLUMN to_state character varying(30);
ALTER TABLE audit_events ADD COLUMN chain_position bigint;
ALTER TABLE audit_events ADD COLUMN previous_hash character varying(64);
ALTER TABLE audit_events ADD COLUMN hash character varying(64);

CREATE FUNCTION audit_event_hash(previous text, occurred timestamptz, actor uuid, action text, subject_type text, subject_id text,
                                 details text, from_state text, to_state text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(E'\x1f', coalesce(previous, ''), to_char(occurred AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(actor::text, ''), action, coalesce(subject_type, ''), coalesce(subject_id, ''), coalesce(details, ''),
        coalesce(from_state, ''), coalesce(to_state, '')), 'UTF8')), 'hex')
$$;

-- Existing events become the start of the chain, in the order they were written.
WITH ordered AS (SELECT id, row_number() OVER (ORDER BY id) AS position FROM audit_events)
UPDATE audit_events SET chain_position = ordered.position FROM ordered WHERE audit_events.id = ordered.id;
DO $$
DECLARE
    event record;
    previous text := NULL;
BEGIN
    FOR event IN SELECT * FROM audit_events ORDER BY chain_position LOOP
        UPDATE audit_events SET previous_hash = previous,
            hash = audit_event_hash(previous, event.occurred_at, event.actor_user_id, event.action, event.subject_type, event.subject_id,
                                    event.details, event.from_state, event.to_state)
        WHERE id = event.id
        RETURNING hash INTO previous;
    END LOOP;
END $$;

ALTER TABLE audit_events ALTER COLUMN chain_position SET NOT NULL;
ALTER TABLE audit_events ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX ix_audit_events_chain_position ON audit_events (chain_position);

CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last record;
BEGIN
    -- One writer at a time extends the chain (released at commit), so it never forks.
    PERFORM pg_advisory_xact_lock(4427655367326573);
    SELECT chain_position, hash INTO last FROM audit_events ORDER BY chain_position DESC LIMIT 1;
    NEW.chain_position := coalesce(last.chain_position, 0) + 1;
    NEW.previous_hash := last.hash;
    NEW.hash := audit_event_hash(NEW.previous_hash, NEW.occurred_at, NEW.actor_user_id, NEW.action, NEW.subject_type, NEW.subject_id,
                                 NEW.details, NEW.from_state, NEW.to_state);
    RETURN NEW;
END $$;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
END $$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
