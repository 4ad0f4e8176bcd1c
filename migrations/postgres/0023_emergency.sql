-- 紧急信息报送: the reports owed on an emergency (domain::emergency). An emergency and every
-- version of every report are kept: they are the record of what was reported, when.
CREATE TABLE emergencies (
    case_id           BIGINT PRIMARY KEY REFERENCES cases(id),
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    level             TEXT NOT NULL,
    category          TEXT NOT NULL,
    channel           TEXT NOT NULL,
    township_id       BIGINT REFERENCES areas(id),
    lat_e6            BIGINT,
    lng_e6            BIGINT,
    opened_at         BIGINT NOT NULL,
    quick_due         BIGINT NOT NULL,
    quick_filed_at    BIGINT,
    quick_missed_at   BIGINT,
    written_due       BIGINT NOT NULL,
    written_filed_at  BIGINT,
    written_missed_at BIGINT,
    final_at          BIGINT,
    hidden_at         BIGINT,
    -- When the scheduler must next look (Emergency::next_due); NULL once nothing is watched,
    -- so its index holds only the few emergencies still owing a first report.
    next_due          BIGINT,
    declared_by       BIGINT REFERENCES users(id)
);
CREATE INDEX emergencies_opened ON emergencies(opened_at DESC);
CREATE INDEX emergencies_event ON emergencies(unit_id, category, opened_at);
CREATE INDEX emergencies_due ON emergencies(next_due) WHERE next_due IS NOT NULL;

CREATE TABLE emergency_reports (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES emergencies(case_id),
    stage       TEXT NOT NULL,
    version     BIGINT NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    author_id   BIGINT NOT NULL REFERENCES users(id),
    filed_at    BIGINT NOT NULL,
    late        BIGINT NOT NULL,
    summary     TEXT NOT NULL,
    place       TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    deaths      BIGINT NOT NULL,
    injured     BIGINT NOT NULL,
    missing     BIGINT NOT NULL,
    measures    TEXT NOT NULL,
    -- FactFlag codes, comma-separated.
    flags       TEXT NOT NULL,
    checked_by  BIGINT REFERENCES users(id),
    checked_at  BIGINT,
    check_note  TEXT,
    UNIQUE (case_id, stage, version)
);
CREATE INDEX emergency_reports_case ON emergency_reports(case_id, filed_at);

-- Deadlines per category ('' any) and level ('' any); the domain's defaults when none fits.
CREATE TABLE emergency_deadlines (
    category        TEXT NOT NULL,
    level           TEXT NOT NULL,
    quick_minutes   BIGINT NOT NULL,
    written_minutes BIGINT NOT NULL,
    PRIMARY KEY (category, level)
);
