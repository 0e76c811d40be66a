-- Webhooks: an organisation's HTTPS endpoints, told of every status change of its applications (references and
-- statuses only), each delivery signed, retried with backoff and logged.
CREATE TABLE webhook_endpoints (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    url character varying(500) NOT NULL,
    secret character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid NOT NULL,
    disabled_at timestamp with time zone NULL,
    CONSTRAINT pk_webhook_endpoints PRIMARY KEY (id),
    CONSTRAINT fk_webhook_endpoints_organisations_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id) ON DELETE RESTRICT
);

CREATE INDEX ix_webhook_endpoints_organisation_id ON webhook_endpoints (organisation_id);

CREATE TABLE webhook_deliveries (
    id uuid NOT NULL,
    endpoint_id uuid NOT NULL,
    application_id uuid NOT NULL,
    reference character varying(20) NULL,
    from_status character varying(30) NOT NULL,
    to_status character varying(30) NOT NULL,
    payload text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone NULL,
    last_status_code integer NULL,
    last_error character varying(200) NULL,
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
    CONSTRAINT fk_webhook_deliveries_webhook_endpoints_endpoint_id FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE CASCADE
);

CREATE INDEX ix_webhook_deliveries_endpoint_id_created_at ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX ix_webhook_deliveries_next_attempt_at ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
