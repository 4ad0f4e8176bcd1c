-- Organisation, staff, sessions and the audit trail. Instants are Unix milliseconds (UTC).
CREATE TABLE areas (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES areas(id),
    level       TEXT NOT NULL CHECK (level IN ('district','township','village','grid')),
    name        TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);
CREATE INDEX areas_parent ON areas(parent_id);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('resident_department','rotating_department','township_government','village_committee','grid_team','center')),
    area_id     INTEGER REFERENCES areas(id),
    phone       TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin','operator','commander','supervisor','leader','unit_staff')),
    unit_id         INTEGER REFERENCES units(id),
    phone           TEXT,
    password_hash   TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    INTEGER,
    kind        TEXT NOT NULL,
    level       TEXT NOT NULL,
    details     TEXT NOT NULL,
    ip          TEXT
);
CREATE INDEX audit_events_at ON audit_events(at);

-- The audit trail is append-only: the database itself refuses to rewrite history.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
