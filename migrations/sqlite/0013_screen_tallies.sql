-- The command screen at a million cases (issue 13). Counting the cases received in a
-- period walks a third of the register by the year's end; these tallies hold the count per
-- local day (UTC+8) for the whole register and per kind, channel, category and township, so
-- every received-cases figure and trend reads at most a year of small rows.
-- Triggers keep them in the transaction that writes the case, whichever code writes it (the
-- intake, the seed, an import, the benchmark's generator): a tally is the register's own
-- GROUP BY, never a second bookkeeping that a new write path could forget.
CREATE TABLE case_tallies (
    measure TEXT NOT NULL,      -- received | kind | channel | category | township
    day     INTEGER NOT NULL,   -- (received_at + 8 h) / 1 day
    key     TEXT NOT NULL,      -- the value counted ('' for received)
    n       INTEGER NOT NULL,
    PRIMARY KEY (measure, day, key)
) WITHOUT ROWID;

INSERT INTO case_tallies (measure, day, key, n)
SELECT 'received', (received_at + 28800000) / 86400000 AS d, '', COUNT(*) FROM cases GROUP BY d
UNION ALL SELECT 'kind', (received_at + 28800000) / 86400000 AS d, kind, COUNT(*) FROM cases GROUP BY d, kind
UNION ALL SELECT 'channel', (received_at + 28800000) / 86400000 AS d, channel, COUNT(*) FROM cases GROUP BY d, channel
UNION ALL SELECT 'category', (received_at + 28800000) / 86400000 AS d, category, COUNT(*) FROM cases GROUP BY d, category
UNION ALL SELECT 'township', (received_at + 28800000) / 86400000 AS d, CAST(township_id AS TEXT), COUNT(*) FROM cases
    WHERE township_id IS NOT NULL GROUP BY d, township_id;

CREATE TRIGGER cases_tally_insert AFTER INSERT ON cases BEGIN
    INSERT INTO case_tallies (measure, day, key, n)
    SELECT m, (NEW.received_at + 28800000) / 86400000, k, 1 FROM (
        SELECT 'received' AS m, '' AS k UNION ALL SELECT 'kind', NEW.kind UNION ALL SELECT 'channel', NEW.channel
        UNION ALL SELECT 'category', NEW.category UNION ALL SELECT 'township', CAST(NEW.township_id AS TEXT)
    ) WHERE k IS NOT NULL
    ON CONFLICT (measure, day, key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER cases_tally_delete AFTER DELETE ON cases BEGIN
    UPDATE case_tallies SET n = n - 1 WHERE day = (OLD.received_at + 28800000) / 86400000 AND (
        (measure = 'received' AND key = '') OR (measure = 'kind' AND key = OLD.kind) OR (measure = 'channel' AND key = OLD.channel)
        OR (measure = 'category' AND key = OLD.category) OR (measure = 'township' AND key = CAST(OLD.township_id AS TEXT)));
END;

-- No code changes these columns after intake; should one, the tallies follow.
CREATE TRIGGER cases_tally_update AFTER UPDATE OF received_at, kind, channel, category, township_id ON cases BEGIN
    UPDATE case_tallies SET n = n - 1 WHERE day = (OLD.received_at + 28800000) / 86400000 AND (
        (measure = 'received' AND key = '') OR (measure = 'kind' AND key = OLD.kind) OR (measure = 'channel' AND key = OLD.channel)
        OR (measure = 'category' AND key = OLD.category) OR (measure = 'township' AND key = CAST(OLD.township_id AS TEXT)));
    INSERT INTO case_tallies (measure, day, key, n)
    SELECT m, (NEW.received_at + 28800000) / 86400000, k, 1 FROM (
        SELECT 'received' AS m, '' AS k UNION ALL SELECT 'kind', NEW.kind UNION ALL SELECT 'channel', NEW.channel
        UNION ALL SELECT 'category', NEW.category UNION ALL SELECT 'township', CAST(NEW.township_id AS TEXT)
    ) WHERE k IS NOT NULL
    ON CONFLICT (measure, day, key) DO UPDATE SET n = n + excluded.n;
END;

-- Overdue cases per unit: each unit's row carries its case's deadline and stop (save_state
-- writes them with the case), so the screen counts them from one index instead of joining
-- every overdue case to its units.
ALTER TABLE case_units ADD COLUMN deadline_at INTEGER;
ALTER TABLE case_units ADD COLUMN stopped_at INTEGER;
UPDATE case_units SET (deadline_at, stopped_at) = (SELECT c.deadline_at, c.stopped_at FROM cases c WHERE c.id = case_units.case_id);
CREATE INDEX case_units_overdue ON case_units(stopped_at, deadline_at, unit_id);

-- The map's dots: the open cases' points, answered from the index alone.
CREATE INDEX cases_map ON cases(status, lat_e6, lng_e6, stopped_at, deadline_at, command_open) WHERE lat_e6 IS NOT NULL;
