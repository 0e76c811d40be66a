-- The standard paragraphs of the letters, versioned as ANSM administrators edit them (docs/domain.md §7); each issued
-- letter records the versions it was drawn with.
CREATE TABLE letter_wordings (
    key character varying(40) NOT NULL,
    version integer NOT NULL,
    text character varying(8000) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by_user_id uuid NOT NULL,
    CONSTRAINT pk_letter_wordings PRIMARY KEY (key, version)
);
ALTER TABLE issued_documents ADD COLUMN wording character varying(200) NULL;
