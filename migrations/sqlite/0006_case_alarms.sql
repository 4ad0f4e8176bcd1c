-- The scheduler sleeps until the earliest alarm over all cases (a unit's time to sign, an
-- SLA warning or deadline, the end of a follow-up wait) and wakes when a write brings one
-- nearer. Each case keeps its next alarm here, so a restart loses none. Open cases start
-- due now: the scheduler's first pass computes each one's real alarm.
ALTER TABLE cases ADD COLUMN next_alarm_at INTEGER;
UPDATE cases SET next_alarm_at = 0 WHERE status NOT IN ('closed', 'rejected', 'merged');
CREATE INDEX cases_alarm ON cases(next_alarm_at) WHERE next_alarm_at IS NOT NULL;
