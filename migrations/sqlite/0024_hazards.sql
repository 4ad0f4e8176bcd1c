-- 隐患清单: the safety hazard register (domain::hazard). A hazard and every step of it are
-- kept, with the photos each step came with: the register is the record of what was fixed.
CREATE TABLE hazards (
    id                  INTEGER PRIMARY KEY,
    domain              TEXT NOT NULL,
    source              TEXT NOT NULL,
    level               TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    place               TEXT NOT NULL,
    area_id             INTEGER REFERENCES areas(id),
    township_id         INTEGER REFERENCES areas(id),
    lat_e6              INTEGER,
    lng_e6              INTEGER,
    responsible_unit_id INTEGER NOT NULL REFERENCES units(id),
    enterprise          TEXT NOT NULL,
    measures            TEXT NOT NULL,
    deadline_at         INTEGER NOT NULL,
    status              TEXT NOT NULL,
    watch               TEXT,
    case_id             INTEGER REFERENCES cases(id),
    found_at            INTEGER NOT NULL,
    found_by            INTEGER NOT NULL REFERENCES users(id),
    overdue_at          INTEGER,
    ticked_off_at       INTEGER,
    last_seq            INTEGER NOT NULL,
    -- When the scheduler must next look (Hazard::next_due); NULL once the rectification is
    -- checked or the hazard flagged overdue, so the index holds only hazards still in time.
    next_due            INTEGER
);
CREATE INDEX hazards_found ON hazards(found_at DESC);
CREATE INDEX hazards_unit ON hazards(responsible_unit_id, status);
CREATE INDEX hazards_township ON hazards(township_id, status);
CREATE INDEX hazards_due ON hazards(next_due) WHERE next_due IS NOT NULL;

-- The units on the inspection that found it (联合执法: several); they check and tick it off.
CREATE TABLE hazard_inspectors (
    hazard_id INTEGER NOT NULL REFERENCES hazards(id),
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (hazard_id, unit_id)
);
CREATE INDEX hazard_inspectors_unit ON hazard_inspectors(unit_id);

CREATE TABLE hazard_events (
    hazard_id INTEGER NOT NULL REFERENCES hazards(id),
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    user_id   INTEGER REFERENCES users(id),
    unit_id   INTEGER REFERENCES units(id),
    body      TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (hazard_id, seq)
);

CREATE TABLE hazard_photos (
    id           INTEGER PRIMARY KEY,
    hazard_id    INTEGER NOT NULL REFERENCES hazards(id),
    event_seq    INTEGER NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    uploaded_by  INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX hazard_photos_hazard ON hazard_photos(hazard_id);
