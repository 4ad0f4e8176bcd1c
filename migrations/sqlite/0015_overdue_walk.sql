-- The overdue list walks the open cases newest first (0003). With an index led by the
-- deadline beside it (0012), SQLite's planner chose to sort every overdue case instead: 43 ms
-- for the first page at a million cases. The screen's overdue counts now read the open
-- cases' own index, which holds the township for them.
DROP INDEX IF EXISTS cases_overdue_township;
DROP INDEX IF EXISTS cases_open;
CREATE INDEX cases_open ON cases(received_at DESC, id DESC, deadline_at, township_id) WHERE stopped_at IS NULL;
