-- Lookup by idempotency key (GET /v1/idempotency-keys/{key}): each record says which kind of write
-- the key was used for and which demande it concerns. Portable SQL (SQLite and PostgreSQL).
ALTER TABLE idempotency ADD COLUMN kind TEXT;
ALTER TABLE idempotency ADD COLUMN demande_id TEXT;

-- Records written before this migration: both kinds answered `Location: /v1/demandes/{id}`; a
-- submission's stored answer is a demande summary (it has a "reference"), a reply's a message.
UPDATE idempotency SET demande_id = substr(location, 14) WHERE location LIKE '/v1/demandes/%';
UPDATE idempotency SET kind = CASE WHEN response LIKE '%"reference":%' THEN 'submission' ELSE 'reply' END;
