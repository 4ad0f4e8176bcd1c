-- The satisfaction rate at a million cases (issue 13): residents' answered follow-ups per
-- local day, and how many were satisfied, kept by a trigger on the history as the case
-- tallies are (0013), instead of reading and parsing a month of follow-up events.
INSERT INTO case_tallies (measure, day, key, n)
SELECT 'rated', (at + 28800000) / 86400000 AS d, '', COUNT(*) FROM case_events
    WHERE kind = 'follow_up_recorded' AND (body::json -> 'change' ->> 'satisfied') IS NOT NULL GROUP BY d
UNION ALL SELECT 'satisfied', (at + 28800000) / 86400000 AS d, '', COUNT(*) FROM case_events
    WHERE kind = 'follow_up_recorded' AND (body::json -> 'change' ->> 'satisfied') = 'true' GROUP BY d;

-- The history is append-only (0002), so an insert is the only change to count. One
-- statement in a fixed order: no intake touches these rows, so no lock is needed beyond it.
CREATE FUNCTION case_events_tally_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    satisfied TEXT := NEW.body::json -> 'change' ->> 'satisfied';
BEGIN
    IF satisfied IS NOT NULL THEN
        INSERT INTO case_tallies (measure, day, key, n)
        SELECT m, (NEW.at + 28800000) / 86400000, '', 1 FROM (VALUES ('rated'), ('satisfied')) AS v(m)
        WHERE m = 'rated' OR satisfied = 'true' ORDER BY m
        ON CONFLICT (measure, day, key) DO UPDATE SET n = case_tallies.n + excluded.n;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_events_tally_rating AFTER INSERT ON case_events
    FOR EACH ROW WHEN (NEW.kind = 'follow_up_recorded') EXECUTE FUNCTION case_events_tally_rating();

-- Its reading no longer walks the history by kind and time.
DROP INDEX case_events_kind_at;
