-- The hazards recorded from a case, for the case's page.
CREATE INDEX hazards_case ON hazards(case_id) WHERE case_id IS NOT NULL;
