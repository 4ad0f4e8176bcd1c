-- 值班: the duty roster of the center and the townships (domain::duty). A shift is the record
-- of who was on duty: once begun it is never removed, only checked in, flagged and handed over.
CREATE TABLE duty_shifts (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    post           TEXT NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES users(id),
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    checked_in_at  INTEGER,
    check_in_lat_e6 INTEGER,
    check_in_lng_e6 INTEGER,
    handover       TEXT,
    handed_over_at INTEGER,
    missed_at      INTEGER,
    planned_by     INTEGER REFERENCES users(id),
    planned_at     INTEGER NOT NULL
);
CREATE INDEX duty_shifts_starts ON duty_shifts(starts_at);
CREATE INDEX duty_shifts_user ON duty_shifts(user_id, starts_at);
-- The scheduler's watch: shifts nobody has checked in and not yet flagged, by start.
CREATE INDEX duty_shifts_unchecked ON duty_shifts(starts_at) WHERE checked_in_at IS NULL AND missed_at IS NULL;

-- 调班: a holder's request to hand a shift to a colleague, decided by a planner.
CREATE TABLE duty_swaps (
    id           INTEGER PRIMARY KEY,
    shift_id     INTEGER NOT NULL REFERENCES duty_shifts(id),
    from_user    INTEGER NOT NULL REFERENCES users(id),
    to_user      INTEGER NOT NULL REFERENCES users(id),
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    decided_by   INTEGER REFERENCES users(id),
    decided_at   INTEGER
);
CREATE INDEX duty_swaps_shift ON duty_swaps(shift_id);
CREATE INDEX duty_swaps_pending ON duty_swaps(requested_at) WHERE status = 'pending';
