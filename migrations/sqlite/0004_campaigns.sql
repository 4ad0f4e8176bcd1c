-- The livelihood-project call (民生实事项目征集): campaigns, residents' suggestions with
-- their append-only, hash-chained review history, and residents' support.
CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    rules         TEXT NOT NULL,
    opens_at      INTEGER NOT NULL,
    closes_at     INTEGER NOT NULL,
    categories    TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE suggestions (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
    code          TEXT NOT NULL UNIQUE,
    secret_hash   TEXT NOT NULL,
    name          TEXT NOT NULL,
    content       TEXT NOT NULL,
    overview      TEXT NOT NULL,
    category      TEXT NOT NULL,
    area_id       INTEGER REFERENCES areas(id),
    person        TEXT,
    phone         TEXT,
    -- Who submitted, as a keyed hash (phone, else device/address), for the per-person limit.
    submitter_key TEXT NOT NULL,
    status        TEXT NOT NULL,
    supports      INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL,
    last_seq      INTEGER NOT NULL,
    last_hash     TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX suggestions_campaign ON suggestions(campaign_id, status, id DESC);
CREATE INDEX suggestions_submitter ON suggestions(campaign_id, submitter_key);

CREATE TABLE suggestion_events (
    id            INTEGER PRIMARY KEY,
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    seq           INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    actor_id      INTEGER REFERENCES users(id),
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (suggestion_id, seq)
);
CREATE TRIGGER suggestion_events_no_update BEFORE UPDATE ON suggestion_events
BEGIN SELECT RAISE(ABORT, 'suggestion_events is append-only'); END;
CREATE TRIGGER suggestion_events_no_delete BEFORE DELETE ON suggestion_events
BEGIN SELECT RAISE(ABORT, 'suggestion_events is append-only'); END;

CREATE TABLE suggestion_supports (
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id),
    supporter_key TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (suggestion_id, supporter_key)
);
