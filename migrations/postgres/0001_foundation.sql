-- Organisation, staff, sessions and the audit trail. Instants are Unix milliseconds (UTC).
CREATE TABLE areas (
    id          BIGSERIAL PRIMARY KEY,
    parent_id   BIGINT REFERENCES areas(id),
    level       TEXT NOT NULL CHECK (level IN ('district','township','village','grid')),
    name        TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    active      BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);
CREATE INDEX areas_parent ON areas(parent_id);

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('resident_department','rotating_department','township_government','village_committee','grid_team','center')),
    area_id     BIGINT REFERENCES areas(id),
    phone       TEXT,
    active      BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin','operator','commander','supervisor','leader','unit_staff')),
    unit_id         BIGINT REFERENCES units(id),
    phone           TEXT,
    password_hash   TEXT NOT NULL,
    active          BIGINT NOT NULL DEFAULT 1,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    kind        TEXT NOT NULL,
    level       TEXT NOT NULL,
    details     TEXT NOT NULL,
    ip          TEXT
);
CREATE INDEX audit_events_at ON audit_events(at);

-- The audit trail is append-only: the database itself refuses to rewrite history.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION refuse_change();
