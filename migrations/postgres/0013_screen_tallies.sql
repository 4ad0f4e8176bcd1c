-- The command screen at a million cases (issue 13). Counting the cases received in a
-- period walks a third of the register by the year's end; these tallies hold the count per
-- local day (UTC+8) for the whole register and per kind, channel, category and township, so
-- every received-cases figure and trend reads at most a year of small rows.
-- Triggers keep them in the transaction that writes the case, whichever code writes it (the
-- intake, the seed, an import, the benchmark's generator): a tally is the register's own
-- GROUP BY, never a second bookkeeping that a new write path could forget.
CREATE TABLE case_tallies (
    measure TEXT NOT NULL,      -- received | kind | channel | category | township
    day     BIGINT NOT NULL,    -- (received_at + 8 h) / 1 day
    key     TEXT NOT NULL,      -- the value counted ('' for received)
    n       BIGINT NOT NULL,
    PRIMARY KEY (measure, day, key)
);

INSERT INTO case_tallies (measure, day, key, n)
SELECT 'received', (received_at + 28800000) / 86400000 AS d, '', COUNT(*) FROM cases GROUP BY d
UNION ALL SELECT 'kind', (received_at + 28800000) / 86400000 AS d, kind, COUNT(*) FROM cases GROUP BY d, kind
UNION ALL SELECT 'channel', (received_at + 28800000) / 86400000 AS d, channel, COUNT(*) FROM cases GROUP BY d, channel
UNION ALL SELECT 'category', (received_at + 28800000) / 86400000 AS d, category, COUNT(*) FROM cases GROUP BY d, category
UNION ALL SELECT 'township', (received_at + 28800000) / 86400000 AS d, township_id::TEXT, COUNT(*) FROM cases
    WHERE township_id IS NOT NULL GROUP BY d, township_id;

-- One case's five tallies moved by `delta`, in a fixed order.
CREATE FUNCTION case_tally(c cases, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO case_tallies (measure, day, key, n)
    SELECT m, (c.received_at + 28800000) / 86400000, k, delta
    FROM (VALUES ('received', ''), ('kind', c.kind), ('channel', c.channel), ('category', c.category),
                 ('township', c.township_id::TEXT)) AS v(m, k)
    WHERE k IS NOT NULL ORDER BY m, k
    ON CONFLICT (measure, day, key) DO UPDATE SET n = case_tallies.n + excluded.n
$$;

-- Writers of cases take the tallies' lock first: concurrent intakes then meet today's rows
-- one after the other instead of deadlocking over an import's rows of several days.
CREATE FUNCTION cases_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('case_tallies'));
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM case_tally(OLD, -1); END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM case_tally(NEW, 1); END IF;
    RETURN NULL;
END
$$;

-- No code changes the counted columns after intake; should one, the tallies follow.
CREATE TRIGGER cases_tally AFTER INSERT OR DELETE OR UPDATE OF received_at, kind, channel, category, township_id
    ON cases FOR EACH ROW EXECUTE FUNCTION cases_tally();

-- Overdue cases per unit: each unit's row carries its case's deadline and stop (save_state
-- writes them with the case), so the screen counts them from one index instead of joining
-- every overdue case to its units.
ALTER TABLE case_units ADD COLUMN deadline_at BIGINT;
ALTER TABLE case_units ADD COLUMN stopped_at BIGINT;
UPDATE case_units cu SET deadline_at = c.deadline_at, stopped_at = c.stopped_at FROM cases c WHERE c.id = cu.case_id;
CREATE INDEX case_units_overdue ON case_units(stopped_at, deadline_at, unit_id);

-- The map's dots: the open cases' points, answered from the index alone.
CREATE INDEX cases_map ON cases(status, lat_e6, lng_e6, stopped_at, deadline_at, command_open) WHERE lat_e6 IS NOT NULL;
