-- The livelihood-project call (民生实事项目征集): campaigns, residents' suggestions with
-- their append-only, hash-chained review history, and residents' support.
CREATE TABLE campaigns (
    id            BIGSERIAL PRIMARY KEY,
    year          BIGINT NOT NULL,
    title         TEXT NOT NULL,
    rules         TEXT NOT NULL,
    opens_at      BIGINT NOT NULL,
    closes_at     BIGINT NOT NULL,
    categories    TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE suggestions (
    id            BIGSERIAL PRIMARY KEY,
    campaign_id   BIGINT NOT NULL REFERENCES campaigns(id),
    code          TEXT NOT NULL UNIQUE,
    secret_hash   TEXT NOT NULL,
    name          TEXT NOT NULL,
    content       TEXT NOT NULL,
    overview      TEXT NOT NULL,
    category      TEXT NOT NULL,
    area_id       BIGINT REFERENCES areas(id),
    person        TEXT,
    phone         TEXT,
    -- Who submitted, as a keyed hash (phone, else device/address), for the per-person limit.
    submitter_key TEXT NOT NULL,
    status        TEXT NOT NULL,
    supports      BIGINT NOT NULL DEFAULT 0,
    state         TEXT NOT NULL,
    last_seq      BIGINT NOT NULL,
    last_hash     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX suggestions_campaign ON suggestions(campaign_id, status, id DESC);
CREATE INDEX suggestions_submitter ON suggestions(campaign_id, submitter_key);

CREATE TABLE suggestion_events (
    id            BIGSERIAL PRIMARY KEY,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    seq           BIGINT NOT NULL,
    at            BIGINT NOT NULL,
    actor_id      BIGINT REFERENCES users(id),
    kind          TEXT NOT NULL,
    body          TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (suggestion_id, seq)
);
CREATE TRIGGER suggestion_events_append_only BEFORE UPDATE OR DELETE ON suggestion_events
FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER suggestion_events_no_truncate BEFORE TRUNCATE ON suggestion_events
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE suggestion_supports (
    suggestion_id BIGINT NOT NULL REFERENCES suggestions(id),
    supporter_key TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (suggestion_id, supporter_key)
);
