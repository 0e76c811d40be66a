-- The audit chain verified on a schedule (and on demand), and its last hash anchored each day with an RFC 3161
-- timestamp from an outside authority: a rewrite of the whole trail by someone holding the database no longer goes unseen.
CREATE TABLE audit_verifications (
    id uuid NOT NULL,
    verified_at timestamp with time zone NOT NULL,
    events_checked bigint NOT NULL,
    last_position bigint NULL,
    last_hash character varying(64) NULL,
    first_broken_position bigint NULL,
    requested_by_user_id uuid NULL,
    CONSTRAINT pk_audit_verifications PRIMARY KEY (id)
);

CREATE INDEX ix_audit_verifications_verified_at ON audit_verifications (verified_at);

CREATE TABLE audit_anchors (
    id uuid NOT NULL,
    stamped_at timestamp with time zone NOT NULL,
    chain_position bigint NOT NULL,
    hash character varying(64) NOT NULL,
    authority character varying(300) NOT NULL,
    token bytea NOT NULL,
    CONSTRAINT pk_audit_anchors PRIMARY KEY (id)
);

CREATE INDEX ix_audit_anchors_stamped_at ON audit_anchors (stamped_at);
