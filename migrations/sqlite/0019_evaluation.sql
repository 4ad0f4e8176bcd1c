-- Evaluation (考评). A mark is one fact about one unit on one case (domain::evaluation::marks),
-- written with the change that made it; the daily tallies beside them are what a period's
-- scores add up, and the marks are the cases behind each figure.
CREATE TABLE unit_marks (
    id      INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL,
    case_id INTEGER NOT NULL,
    measure TEXT NOT NULL,
    at      INTEGER NOT NULL,
    day     INTEGER NOT NULL,    -- the local day of `at` (clock::local_day)
    hit     INTEGER NOT NULL
);
CREATE INDEX unit_marks_drill ON unit_marks(unit_id, measure, day);

CREATE TABLE unit_tallies (
    day     INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    measure TEXT NOT NULL,
    n       INTEGER NOT NULL,
    hits    INTEGER NOT NULL,
    PRIMARY KEY (day, unit_id, measure)
) WITHOUT ROWID;

-- The dimensions' weights as the administrator set them (one row).
CREATE TABLE evaluation_settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    weights    TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);

-- Closed periods: the scores and weights as they stood when the period was closed.
CREATE TABLE evaluation_periods (
    period    TEXT PRIMARY KEY,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    weights   TEXT NOT NULL,
    scores    TEXT NOT NULL,
    frozen_at INTEGER NOT NULL,
    frozen_by INTEGER REFERENCES users(id)
);
