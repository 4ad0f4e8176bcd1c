-- API clients (issue 12): a token files its cases under one channel, and reads only the
-- cases it filed unless it was issued to read all. Tokens issued before this keep what they
-- could do (read every case), so no calling system breaks on the upgrade; new ones read
-- their own.
ALTER TABLE api_tokens ADD COLUMN channel TEXT NOT NULL DEFAULT 'hotline12345';
ALTER TABLE api_tokens ADD COLUMN read_all INTEGER NOT NULL DEFAULT 0;
UPDATE api_tokens SET read_all = 1;
ALTER TABLE cases ADD COLUMN api_token_id INTEGER REFERENCES api_tokens(id);
