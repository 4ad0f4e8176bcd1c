-- Evaluation (考评). A mark is one fact about one unit on one case (domain::evaluation::marks),
-- written with the change that made it; the daily tallies beside them are what a period's
-- scores add up, and the marks are the cases behind each figure.
CREATE TABLE unit_marks (
    id      BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    measure TEXT NOT NULL,
    at      BIGINT NOT NULL,
    day     BIGINT NOT NULL,    -- the local day of `at` (clock::local_day)
    hit     BIGINT NOT NULL
);
CREATE INDEX unit_marks_drill ON unit_marks(unit_id, measure, day);

CREATE TABLE unit_tallies (
    day     BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    measure TEXT NOT NULL,
    n       BIGINT NOT NULL,
    hits    BIGINT NOT NULL,
    PRIMARY KEY (day, unit_id, measure)
);

-- The dimensions' weights as the administrator set them (one row).
CREATE TABLE evaluation_settings (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    weights    TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);

-- Closed periods: the scores and weights as they stood when the period was closed.
CREATE TABLE evaluation_periods (
    period    TEXT PRIMARY KEY,
    starts_at BIGINT NOT NULL,
    ends_at   BIGINT NOT NULL,
    weights   TEXT NOT NULL,
    scores    TEXT NOT NULL,
    frozen_at BIGINT NOT NULL,
    frozen_by BIGINT REFERENCES users(id)
);
