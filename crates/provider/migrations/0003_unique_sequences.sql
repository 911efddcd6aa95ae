-- A demande's history entries and messages are numbered 1, 2, 3…: each number once. The writes
-- lock the demande's row before counting (see db/writes.rs), so concurrent writers through several
-- instances on PostgreSQL take turns; these unique indexes make any regression fail loudly instead
-- of numbering two entries alike. Portable SQL (SQLite and PostgreSQL).
CREATE UNIQUE INDEX status_history_seq ON status_history (demande_id, seq);
DROP INDEX status_history_by_demande;
CREATE UNIQUE INDEX messages_seq ON messages (demande_id, seq);
DROP INDEX messages_by_demande;
