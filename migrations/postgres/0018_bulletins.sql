-- Bulletins (通报): one per week or month, its figures computed from the records and kept
-- as JSON (domain::bulletin::Figures); once published they are what the units were told.
CREATE TABLE bulletins (
    id           BIGSERIAL PRIMARY KEY,
    period       TEXT NOT NULL UNIQUE,      -- domain::period::Period::code
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    figures      TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    published_at BIGINT,
    published_by BIGINT REFERENCES users(id)
);
CREATE INDEX bulletins_starts ON bulletins(starts_at DESC);

-- A period's overdue cases by lead unit: the deadlines that fell in it.
CREATE INDEX case_units_lead_deadline ON case_units(deadline_at) WHERE lead = 1 AND current = 1;

-- Cases sent back (退回) per unit and local day, kept like the other tallies (0013, 0014)
-- instead of reading a period's history.
INSERT INTO case_tallies (measure, day, key, n)
SELECT 'returned', (at + 28800000) / 86400000 AS d, body::json -> 'change' ->> 'unit' AS k, COUNT(*)
FROM case_events WHERE kind = 'returned' GROUP BY d, k;

CREATE FUNCTION case_events_tally_returned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_tallies (measure, day, key, n)
    VALUES ('returned', (NEW.at + 28800000) / 86400000, NEW.body::json -> 'change' ->> 'unit', 1)
    ON CONFLICT (measure, day, key) DO UPDATE SET n = case_tallies.n + excluded.n;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_events_tally_returned AFTER INSERT ON case_events
    FOR EACH ROW WHEN (NEW.kind = 'returned') EXECUTE FUNCTION case_events_tally_returned();
