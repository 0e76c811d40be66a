-- The bytes of uploaded documents, in chunks of at most 1 MB written and read one at a time (so that a
-- 100 MB file never sits in the server's memory). The application's answers refer to each document (name,
-- type, size, SHA-256).
CREATE TABLE document_chunks (
    document_id uuid NOT NULL,
    chunk_index integer NOT NULL,
    application_id uuid NOT NULL,
    bytes bytea NOT NULL,
    CONSTRAINT pk_document_chunks PRIMARY KEY (document_id, chunk_index),
    CONSTRAINT fk_document_chunks_applications_application_id FOREIGN KEY (application_id) REFERENCES applications (id) ON DELETE CASCADE
);

CREATE INDEX ix_document_chunks_application_id ON document_chunks (application_id);
