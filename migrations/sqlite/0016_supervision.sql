-- Supervision (督办). Per category: how long a case may stay overdue before the system
-- proposes it for listed supervision, and when a palm command's unsigned unit goes on to the
-- commander and the center's leaders (the unit itself hears at ack_ms).
ALTER TABLE categories ADD COLUMN list_after_ms BIGINT NOT NULL DEFAULT 86400000;
ALTER TABLE categories ADD COLUMN escalate_again_ms BIGINT NOT NULL DEFAULT 600000;

-- The supervision list: one row per case that was ever reminded, tracked, proposed or
-- listed, written with the case's state in the same transaction. The case's history holds
-- every step; this is what the list filters and sorts on.
CREATE TABLE supervisions (
    case_id          INTEGER PRIMARY KEY REFERENCES cases(id),
    -- reminded, tracking, proposed, listed, ticked_off: the highest rung now.
    stage            TEXT NOT NULL,
    reminders        INTEGER NOT NULL,
    last_reminded_at BIGINT,
    -- A tracking supervision's feedback date while the feedback is owed.
    feedback_due_at  BIGINT,
    proposed_at      BIGINT,
    listed_at        BIGINT,
    list_deadline_at BIGINT,
    leader           TEXT,
    ticked_off_at    BIGINT,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX supervisions_stage ON supervisions(stage, updated_at DESC);
CREATE INDEX supervisions_listed ON supervisions(list_deadline_at) WHERE stage = 'listed';
CREATE INDEX supervisions_updated ON supervisions(updated_at DESC);
