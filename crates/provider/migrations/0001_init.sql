-- Guichet reference provider: initial schema.
-- Portable SQL: the same migration runs on SQLite (default) and PostgreSQL (production option).
-- Ids are text (UUIDs), timestamps are RFC 3339 UTC text with fixed precision (they sort as time),
-- integers are BIGINT, files live on disk (documents.storage_key), never in the database.

CREATE TABLE demandes (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    form_id TEXT NOT NULL,
    form_version BIGINT NOT NULL,
    form_title TEXT NOT NULL,
    answers TEXT NOT NULL,
    bucket TEXT NOT NULL,
    label TEXT NOT NULL,
    status_at TEXT NOT NULL,
    status_comment TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX demandes_by_subject ON demandes (subject, updated_at);

CREATE TABLE status_history (
    id TEXT PRIMARY KEY,
    demande_id TEXT NOT NULL REFERENCES demandes (id),
    seq BIGINT NOT NULL,
    bucket TEXT NOT NULL,
    label TEXT NOT NULL,
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX status_history_by_demande ON status_history (demande_id, seq);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    demande_id TEXT NOT NULL REFERENCES demandes (id),
    seq BIGINT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX messages_by_demande ON messages (demande_id, seq);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    demande_id TEXT NOT NULL REFERENCES demandes (id),
    message_id TEXT,
    field_id TEXT,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    author TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX documents_by_demande ON documents (demande_id);

CREATE TABLE expectations (
    id TEXT PRIMARY KEY,
    demande_id TEXT NOT NULL REFERENCES demandes (id),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    detail TEXT,
    requested_at TEXT NOT NULL,
    fulfilled_at TEXT
);
CREATE INDEX expectations_by_demande ON expectations (demande_id);

-- Idempotency: a citizen's key maps to the first response given for it.
CREATE TABLE idempotency (
    subject TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    location TEXT,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (subject, idempotency_key)
);

CREATE TABLE reference_counters (
    year BIGINT PRIMARY KEY,
    value BIGINT NOT NULL
);
