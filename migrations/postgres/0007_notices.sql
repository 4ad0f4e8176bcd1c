-- The real-time hub's outbox: every notice pushed to browsers, written in the same
-- transaction as the case change it announces. A browser that reconnects with
-- Last-Event-ID is sent what it missed from here; on PostgreSQL each insert is also
-- announced to every server instance by NOTIFY. Kept for a week.
CREATE TABLE notices (
    id      BIGSERIAL PRIMARY KEY,
    at      BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    -- The notice as pushed (JSON of domain::notice::Notice without its id).
    body    TEXT NOT NULL
);
CREATE INDEX notices_at ON notices(at);

-- Each category's time to sign (签收) for a unit, 5 minutes unless the center sets another.
ALTER TABLE categories ADD COLUMN ack_ms BIGINT NOT NULL DEFAULT 300000;
