-- The satisfaction rate at a million cases (issue 13): residents' answered follow-ups per
-- local day, and how many were satisfied, kept by a trigger on the history as the case
-- tallies are (0013), instead of reading and parsing a month of follow-up events.
INSERT INTO case_tallies (measure, day, key, n)
SELECT 'rated', (at + 28800000) / 86400000 AS d, '', COUNT(*) FROM case_events
    WHERE kind = 'follow_up_recorded' AND json_extract(body, '$.change.satisfied') IS NOT NULL GROUP BY d
UNION ALL SELECT 'satisfied', (at + 28800000) / 86400000 AS d, '', COUNT(*) FROM case_events
    WHERE kind = 'follow_up_recorded' AND json_extract(body, '$.change.satisfied') = 1 GROUP BY d;

-- The history is append-only (0002), so an insert is the only change to count.
CREATE TRIGGER case_events_tally_rating AFTER INSERT ON case_events
WHEN NEW.kind = 'follow_up_recorded' AND json_extract(NEW.body, '$.change.satisfied') IS NOT NULL
BEGIN
    INSERT INTO case_tallies (measure, day, key, n)
    SELECT m, (NEW.at + 28800000) / 86400000, '', 1 FROM (
        SELECT 'rated' AS m UNION ALL SELECT 'satisfied' WHERE json_extract(NEW.body, '$.change.satisfied') = 1
    ) WHERE true
    ON CONFLICT (measure, day, key) DO UPDATE SET n = n + excluded.n;
END;

-- Its reading no longer walks the history by kind and time.
DROP INDEX case_events_kind_at;
