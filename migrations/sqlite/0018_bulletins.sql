-- Bulletins (通报): one per week or month, its figures computed from the records and kept
-- as JSON (domain::bulletin::Figures); once published they are what the units were told.
CREATE TABLE bulletins (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL UNIQUE,      -- domain::period::Period::code
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    figures      TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    published_at INTEGER,
    published_by INTEGER REFERENCES users(id)
);
CREATE INDEX bulletins_starts ON bulletins(starts_at DESC);

-- A period's overdue cases by lead unit: the deadlines that fell in it.
CREATE INDEX case_units_lead_deadline ON case_units(deadline_at) WHERE lead = 1 AND current = 1;

-- Cases sent back (退回) per unit and local day, kept like the other tallies (0013, 0014)
-- instead of reading a period's history.
INSERT INTO case_tallies (measure, day, key, n)
SELECT 'returned', (at + 28800000) / 86400000 AS d, CAST(json_extract(body, '$.change.unit') AS TEXT) AS k, COUNT(*)
FROM case_events WHERE kind = 'returned' GROUP BY d, k;

CREATE TRIGGER case_events_tally_returned AFTER INSERT ON case_events
WHEN NEW.kind = 'returned'
BEGIN
    INSERT INTO case_tallies (measure, day, key, n)
    VALUES ('returned', (NEW.at + 28800000) / 86400000, CAST(json_extract(NEW.body, '$.change.unit') AS TEXT), 1)
    ON CONFLICT (measure, day, key) DO UPDATE SET n = n + excluded.n;
END;
