-- Open311 GeoReport v2 (issue 17): what a service request brings beyond its case: the token
-- its client may follow it by, and the link to its media. The requests listed are the cases
-- filed through Open311, newest first (index cases_channel of 0003).
CREATE TABLE open311_requests (
    case_id     BIGINT PRIMARY KEY REFERENCES cases(id),
    token       TEXT NOT NULL UNIQUE,
    media_url   TEXT
);
