-- Data-protection key ring shared by every portal instance (cookies, antiforgery tokens).
CREATE TABLE data_protection_keys (
    id integer GENERATED ALWAYS AS IDENTITY,
    friendly_name character varying(200) NOT NULL,
    xml text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_data_protection_keys PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_data_protection_keys_friendly_name ON data_protection_keys (friendly_name);
