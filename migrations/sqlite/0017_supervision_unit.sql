-- The supervision list filters by lead unit and counts its rows on every read. Keeping the
-- lead unit on the list's own row lets both run on its indexes alone instead of visiting
-- the case row of every supervised case (seconds at a million cases).
ALTER TABLE supervisions ADD COLUMN lead_unit_id BIGINT;
UPDATE supervisions SET lead_unit_id = (SELECT c.lead_unit_id FROM cases c WHERE c.id = supervisions.case_id);
CREATE INDEX supervisions_unit ON supervisions(lead_unit_id, updated_at DESC);
