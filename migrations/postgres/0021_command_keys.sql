-- Commands filed once: the key a phone gave a command (a progress report, a signature)
-- when it was written, so that sending it again after a lost answer files nothing new.
-- Kept for COMMAND_KEY_KEEP_MS (30 days), longer than a phone stays out of signal.
CREATE TABLE command_keys (
    key        TEXT PRIMARY KEY,
    user_id    BIGINT REFERENCES users(id),
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX command_keys_created ON command_keys(created_at);
