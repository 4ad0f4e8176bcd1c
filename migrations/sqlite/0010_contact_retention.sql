-- Residents' contact data under PIPL (issue 12): when a reporter's name and phone, or a
-- suggester's, were erased after the retention period. The row stays (the case or the
-- suggestion still had a reporter); only the data goes.
ALTER TABLE reporters ADD COLUMN erased_at INTEGER;
ALTER TABLE suggestions ADD COLUMN contact_erased_at INTEGER;
-- The erasure looks for finished cases by their last change.
CREATE INDEX cases_finished ON cases(status, updated_at);
