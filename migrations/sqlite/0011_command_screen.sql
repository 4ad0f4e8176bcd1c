-- The command screen (issue 13): each case's latest palm command as columns, so the screen
-- counts the live commands and measures the 5-minute promise from an index rather than by
-- reading every case's state. save_state keeps them; existing cases are filled from state.
ALTER TABLE cases ADD COLUMN command_at INTEGER;
ALTER TABLE cases ADD COLUMN command_signed_at INTEGER;
ALTER TABLE cases ADD COLUMN command_open INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET
    command_at = json_extract(state, '$.task_force.launched_ms'),
    command_signed_at = json_extract(state, '$.task_force.all_dispatched_ms'),
    command_open = CASE WHEN json_extract(state, '$.task_force.launched_ms') IS NOT NULL
        AND json_extract(state, '$.task_force.closed_ms') IS NULL
        AND json_extract(state, '$.task_force.round') = json_extract(state, '$.round') THEN 1 ELSE 0 END
WHERE json_extract(state, '$.task_force') IS NOT NULL;
CREATE INDEX cases_command ON cases(command_at) WHERE command_at IS NOT NULL;
CREATE INDEX cases_command_open ON cases(received_at DESC, id DESC) WHERE command_open = 1;
-- Ratings of a period, for the satisfaction rate.
CREATE INDEX case_events_kind_at ON case_events(kind, at);
-- A township's point on the screen's map (its seat), in millionths of a degree.
ALTER TABLE areas ADD COLUMN lat_e6 INTEGER;
ALTER TABLE areas ADD COLUMN lng_e6 INTEGER;
