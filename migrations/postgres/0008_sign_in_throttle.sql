-- Sign-in slows down instead of locking (issue 12): failures are counted per account name
-- (existing or not, so the answer says nothing about which names exist) and per client
-- address, each key one row: 'name:<username>' or 'addr:<ip>'. The rules are in
-- domain::signin; a row whose failures quiet time has forgiven may be deleted.
CREATE TABLE sign_in_throttle (
    key             TEXT PRIMARY KEY,
    failures        BIGINT NOT NULL DEFAULT 0,
    last_failure_at BIGINT NOT NULL DEFAULT 0,
    -- Addresses only: failed-sign-in audit rows written in the minute starting at
    -- audit_window_at, and failures since the last row that got none.
    audit_window_at BIGINT NOT NULL DEFAULT 0,
    audit_rows      BIGINT NOT NULL DEFAULT 0,
    unlisted        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_throttle_last ON sign_in_throttle(last_failure_at);

-- The lock-out these held is gone.
ALTER TABLE users DROP COLUMN failed_attempts;
ALTER TABLE users DROP COLUMN locked_until;

-- A password someone else chose (the demo seed's, an admin's, a reset) is changed by its
-- owner at the next sign-in. Accounts that exist already keep theirs.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
