-- The register at a million cases: every list filter gets an index that yields its cases
-- newest first, so a page costs about the same on the first case and the millionth
-- (`server/benches/register.rs` measures it).

-- An area filter takes everything below the area: each case carries the township and the
-- village its place lies in (a grid's own code is matched through `cases_area`).
ALTER TABLE cases ADD COLUMN township_id BIGINT REFERENCES areas(id);
ALTER TABLE cases ADD COLUMN village_id BIGINT REFERENCES areas(id);
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
ALTER TABLE case_units ADD COLUMN received_at BIGINT NOT NULL DEFAULT 0;
UPDATE case_units cu SET received_at = c.received_at FROM cases c WHERE c.id = cu.case_id;
CREATE INDEX case_units_received ON case_units(unit_id, received_at DESC, case_id DESC);
DROP INDEX case_units_unit;

-- Searches of one or two characters (二字词 are common in Chinese), which trigrams cannot
-- answer: the set of its characters and neighbouring pairs, lower-cased, indexed. Costly
-- per row, and said so, so the planner reads the index rather than computing it.
CREATE FUNCTION case_grams(body TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5000 AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
        SELECT lower(substr(body, i, 1)) FROM generate_series(1, length(body)) i
        UNION ALL
        SELECT lower(substr(body, i, 2)) FROM generate_series(1, length(body) - 1) i
    ) grams(g) WHERE strpos(g, E'\n') = 0
$$;
CREATE INDEX case_search_grams ON case_search USING gin (case_grams(body));
