-- The register at a million cases: every list filter gets an index that yields its cases
-- newest first, so a page costs about the same on the first case and the millionth
-- (`server/benches/register.rs` measures it).

-- An area filter takes everything below the area: each case carries the township and the
-- village its place lies in (a grid's own code is matched through `cases_area`).
ALTER TABLE cases ADD COLUMN township_id INTEGER REFERENCES areas(id);
ALTER TABLE cases ADD COLUMN village_id INTEGER REFERENCES areas(id);
UPDATE cases SET
    township_id = (SELECT CASE a.level WHEN 'township' THEN a.id WHEN 'village' THEN a.parent_id WHEN 'grid' THEN p.parent_id END
                   FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = cases.area_id),
    village_id = (SELECT CASE a.level WHEN 'village' THEN a.id WHEN 'grid' THEN a.parent_id END
                  FROM areas a WHERE a.id = cases.area_id)
WHERE area_id IS NOT NULL;
CREATE INDEX cases_township ON cases(township_id, received_at DESC, id DESC);
CREATE INDEX cases_village ON cases(village_id, received_at DESC, id DESC);
CREATE INDEX cases_kind ON cases(kind, received_at DESC, id DESC);
CREATE INDEX cases_channel ON cases(channel, received_at DESC, id DESC);
-- Open cases newest first, with their deadlines: the overdue filter reads only this.
CREATE INDEX cases_open ON cases(received_at DESC, id DESC, deadline_at) WHERE stopped_at IS NULL;
DROP INDEX cases_deadline;

-- A unit's cases newest first: `case_units` carries the case's receipt time.
ALTER TABLE case_units ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;
UPDATE case_units SET received_at = (SELECT c.received_at FROM cases c WHERE c.id = case_units.case_id);
CREATE INDEX case_units_received ON case_units(unit_id, received_at DESC, case_id DESC);
DROP INDEX case_units_unit;

-- Searches of one or two characters (二字词 are common in Chinese), which the trigram
-- index cannot answer: each character and each pair of neighbours is a token.
CREATE VIRTUAL TABLE case_grams USING fts5(grams, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
CREATE TABLE gram_positions (i INTEGER PRIMARY KEY);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4300)
INSERT INTO gram_positions (i) SELECT i FROM n;
INSERT INTO case_grams (rowid, grams)
SELECT t.id, (SELECT group_concat(substr(t.body, p.i, 1) || ' ' || substr(t.body, p.i, 2), ' ')
              FROM gram_positions p WHERE p.i <= length(t.body))
FROM (SELECT id, title || char(10) || description || char(10) || coalesce(address, '') AS body FROM cases) t;
DROP TABLE gram_positions;
