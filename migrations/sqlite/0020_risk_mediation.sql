-- Risk warnings (风险预警) and mediation records (矛盾调处): the center's two headline
-- figures, counted from these rows.

-- What the repeat rule matches a new case on, kept apart from the case so the phone is only
-- ever a hash: the reporter's phone (hashed) and the place as a ~100 m cell.
CREATE TABLE case_risk_keys (
    case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
    received_at INTEGER NOT NULL,
    phone_hash  TEXT,
    place_cell  TEXT
);
CREATE INDEX case_risk_keys_phone ON case_risk_keys(phone_hash, received_at) WHERE phone_hash IS NOT NULL;
CREATE INDEX case_risk_keys_cell ON case_risk_keys(place_cell, received_at) WHERE place_cell IS NOT NULL;
-- Cases from before: their cells (their phones were never hashed; the rule starts with new cases).
INSERT INTO case_risk_keys (case_id, received_at, place_cell)
SELECT id, received_at, CASE WHEN lat_e6 IS NULL THEN NULL
       ELSE CAST((lat_e6 - ((lat_e6 % 1000) + 1000) % 1000) / 1000 AS TEXT) || ':' || CAST((lng_e6 - ((lng_e6 % 1000) + 1000) % 1000) / 1000 AS TEXT) END
FROM cases;

-- The cluster rule's look back: one category in one village over the last hours.
CREATE INDEX cases_category_village ON cases(category, village_id, received_at);

-- The rules' settings as the administrator left them (one row, domain::risk::Settings).
CREATE TABLE risk_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);

CREATE TABLE risk_warnings (
    id             INTEGER PRIMARY KEY,
    rule           TEXT NOT NULL,
    status         TEXT NOT NULL,
    title          TEXT NOT NULL,
    township_id    INTEGER REFERENCES areas(id),
    raised_at      INTEGER NOT NULL,
    raised_by      INTEGER REFERENCES users(id),
    level          TEXT,
    note           TEXT,
    assessed_at    INTEGER,
    assessed_by    INTEGER REFERENCES users(id),
    handled_case   INTEGER REFERENCES cases(id),
    handled_at     INTEGER,
    result         TEXT,
    closed_at      INTEGER,
    closed_by      INTEGER REFERENCES users(id),
    dismiss_reason TEXT
);
CREATE INDEX risk_warnings_raised ON risk_warnings(raised_at DESC, id DESC);
CREATE INDEX risk_warnings_status ON risk_warnings(status, raised_at DESC, id DESC);

-- The cases that are a warning's evidence.
CREATE TABLE risk_evidence (
    warning_id INTEGER NOT NULL REFERENCES risk_warnings(id),
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    rule       TEXT NOT NULL,
    linked_at  INTEGER NOT NULL,
    PRIMARY KEY (warning_id, case_id)
);
CREATE INDEX risk_evidence_case ON risk_evidence(case_id, rule);

-- One mediation per dispute case; its sessions below.
CREATE TABLE mediations (
    case_id         INTEGER PRIMARY KEY REFERENCES cases(id),
    parties         TEXT NOT NULL,       -- JSON: [domain::mediation::Party]
    party_hashes    TEXT NOT NULL,       -- the parties' phones, hashed, space-separated
    mediator        TEXT NOT NULL,
    mediator_org    TEXT NOT NULL,
    township_id     INTEGER REFERENCES areas(id),
    category        TEXT NOT NULL,
    agreement       TEXT,
    agreement_photo INTEGER REFERENCES attachments(id),
    agreed_at       INTEGER,
    outcome         TEXT,
    referred_to     TEXT,
    closed_at       INTEGER,
    rereported_by   INTEGER REFERENCES cases(id),
    opened_at       INTEGER NOT NULL,
    opened_by       INTEGER REFERENCES users(id)
);
CREATE INDEX mediations_closed ON mediations(closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX mediations_agreed ON mediations(agreed_at) WHERE agreed_at IS NOT NULL;

CREATE TABLE mediation_sessions (
    case_id     INTEGER NOT NULL REFERENCES mediations(case_id),
    number      INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    place       TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    minutes     TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, number)
);
