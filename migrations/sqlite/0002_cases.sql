-- The case register (一张网). `cases` is the current state of each case, kept in step with
-- its history `case_events` in the same transaction; the history is append-only and
-- hash-chained per case so tampering is detectable (`server verify-history`).
CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    allowed_ms  INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);

-- Residents' personal data lives apart so it can be masked or erased.
CREATE TABLE reporters (
    id          INTEGER PRIMARY KEY,
    name        TEXT,
    phone       TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    secret_hash     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    category        TEXT NOT NULL REFERENCES categories(code),
    channel         TEXT NOT NULL,
    urgency         TEXT NOT NULL,
    status          TEXT NOT NULL,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    address         TEXT,
    area_id         INTEGER REFERENCES areas(id),
    area_code       TEXT,
    lat_e6          INTEGER,
    lng_e6          INTEGER,
    reporter_id     INTEGER REFERENCES reporters(id),
    lead_unit_id    INTEGER REFERENCES units(id),
    merged_into     INTEGER REFERENCES cases(id),
    received_at     INTEGER NOT NULL,
    deadline_at     INTEGER NOT NULL,
    -- When the clock stopped (resolved, closed, rejected, merged); NULL while it runs.
    stopped_at      INTEGER,
    updated_at      INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL,
    last_hash       TEXT NOT NULL,
    state           TEXT NOT NULL
);
CREATE INDEX cases_received ON cases(received_at DESC, id DESC);
CREATE INDEX cases_status ON cases(status, received_at DESC, id DESC);
CREATE INDEX cases_category ON cases(category, received_at DESC, id DESC);
CREATE INDEX cases_area ON cases(area_code, received_at DESC, id DESC);
CREATE INDEX cases_deadline ON cases(stopped_at, deadline_at);
CREATE INDEX cases_open_nearby ON cases(category, area_id, received_at);

-- Which units hold or held each case; `current` marks the live assignments.
CREATE TABLE case_units (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    lead        INTEGER NOT NULL,
    current     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX case_units_unit ON case_units(unit_id, current, case_id DESC);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- Files live on disk under the data directory; the row says who may see them.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    event_seq     INTEGER,
    storage_key   TEXT NOT NULL UNIQUE,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    uploaded_by   INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

-- Full-text search that works for Chinese: trigrams need no word segmentation.
CREATE VIRTUAL TABLE case_search USING fts5(title, description, address, content='', contentless_delete=1, tokenize='trigram');

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    token_hash  TEXT NOT NULL UNIQUE,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);

-- The center's starting categories under its six functions; admins tune them later.
-- Times: emergency 2 h, utilities 24 h, general 7 days, complex 15 days.
INSERT INTO categories (code, name, kind, allowed_ms, active) VALUES
 ('dispute-neighbour', '邻里纠纷', 'petition_mediation', 604800000, 1),
 ('dispute-land', '宅基地与土地纠纷', 'petition_mediation', 1296000000, 1),
 ('dispute-labour', '劳资纠纷与欠薪', 'petition_mediation', 604800000, 1),
 ('petition', '信访事项', 'petition_mediation', 1296000000, 1),
 ('construction-damage', '工程施工损害', 'governance_incident', 1296000000, 1),
 ('noise', '噪音扰民', 'governance_incident', 86400000, 1),
 ('utilities', '水电气等公用设施', 'governance_incident', 86400000, 1),
 ('roads', '道路与交通设施', 'governance_incident', 604800000, 1),
 ('environment', '环境卫生', 'governance_incident', 604800000, 1),
 ('risk-mass', '群体性风险', 'social_risk', 86400000, 1),
 ('risk-safety', '安全隐患', 'social_risk', 604800000, 1),
 ('emergency-fire', '火情与森林火险', 'major_emergency', 7200000, 1),
 ('emergency-flood', '防汛防台', 'major_emergency', 7200000, 1),
 ('emergency-accident', '突发事故', 'major_emergency', 7200000, 1),
 ('enforcement-pollution', '污染与排污', 'enforcement_coordination', 604800000, 1),
 ('enforcement-market', '市场监管', 'enforcement_coordination', 604800000, 1),
 ('enforcement-building', '违法建设', 'enforcement_coordination', 1296000000, 1),
 ('guidance-grid', '网格治理指导', 'grassroots_guidance', 1296000000, 1),
 ('guidance-village', '村社治理事务', 'grassroots_guidance', 1296000000, 1);
