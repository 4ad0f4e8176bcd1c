-- The command screen at a million cases (issue 13): its map counts open and overdue cases
-- per township, which these indexes answer without reading the cases themselves.
CREATE INDEX cases_status_township ON cases(status, township_id);
CREATE INDEX cases_overdue_township ON cases(stopped_at, deadline_at, township_id);
