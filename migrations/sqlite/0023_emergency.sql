-- 紧急信息报送: the reports owed on an emergency (domain::emergency). An emergency and every
-- version of every report are kept: they are the record of what was reported, when.
CREATE TABLE emergencies (
    case_id           INTEGER PRIMARY KEY REFERENCES cases(id),
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    level             TEXT NOT NULL,
    category          TEXT NOT NULL,
    channel           TEXT NOT NULL,
    township_id       INTEGER REFERENCES areas(id),
    lat_e6            INTEGER,
    lng_e6            INTEGER,
    opened_at         INTEGER NOT NULL,
    quick_due         INTEGER NOT NULL,
    quick_filed_at    INTEGER,
    quick_missed_at   INTEGER,
    written_due       INTEGER NOT NULL,
    written_filed_at  INTEGER,
    written_missed_at INTEGER,
    final_at          INTEGER,
    hidden_at         INTEGER,
    -- When the scheduler must next look (Emergency::next_due); NULL once nothing is watched,
    -- so its index holds only the few emergencies still owing a first report.
    next_due          INTEGER,
    declared_by       INTEGER REFERENCES users(id)
);
CREATE INDEX emergencies_opened ON emergencies(opened_at DESC);
CREATE INDEX emergencies_event ON emergencies(unit_id, category, opened_at);
CREATE INDEX emergencies_due ON emergencies(next_due) WHERE next_due IS NOT NULL;

CREATE TABLE emergency_reports (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES emergencies(case_id),
    stage       TEXT NOT NULL,
    version     INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    author_id   INTEGER NOT NULL REFERENCES users(id),
    filed_at    INTEGER NOT NULL,
    late        INTEGER NOT NULL,
    summary     TEXT NOT NULL,
    place       TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    deaths      INTEGER NOT NULL,
    injured     INTEGER NOT NULL,
    missing     INTEGER NOT NULL,
    measures    TEXT NOT NULL,
    -- FactFlag codes, comma-separated.
    flags       TEXT NOT NULL,
    checked_by  INTEGER REFERENCES users(id),
    checked_at  INTEGER,
    check_note  TEXT,
    UNIQUE (case_id, stage, version)
);
CREATE INDEX emergency_reports_case ON emergency_reports(case_id, filed_at);

-- Deadlines per category ('' any) and level ('' any); the domain's defaults when none fits.
CREATE TABLE emergency_deadlines (
    category        TEXT NOT NULL,
    level           TEXT NOT NULL,
    quick_minutes   INTEGER NOT NULL,
    written_minutes INTEGER NOT NULL,
    PRIMARY KEY (category, level)
);
