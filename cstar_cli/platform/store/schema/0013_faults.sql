-- Faults on purpose (D38): the faults a test environment was told to inject, and the marks they
-- leave — on the request log, on a delivery attempt — and the webhook secret before the last
-- rotation (sealed, D27), which a delivery fault may sign with.
CREATE TABLE faults (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    target TEXT NOT NULL,
    spec TEXT NOT NULL,
    count INTEGER,
    remaining INTEGER,
    hits INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX faults_scope ON faults (team_id, livemode, target);
ALTER TABLE request_logs ADD COLUMN fault TEXT;
ALTER TABLE deliveries ADD COLUMN fault TEXT;
ALTER TABLE deliveries ADD COLUMN fault_spec TEXT;
ALTER TABLE webhooks ADD COLUMN previous_secret TEXT;
