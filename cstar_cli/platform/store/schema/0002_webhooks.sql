-- webhook subscriptions, delivery attempts and the dispatcher's cursor over the outbox.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    name TEXT,
    description TEXT,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    legacy_signature INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhooks_scope ON webhooks (team_id, livemode, is_active);
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    webhook_id TEXT,
    session_id TEXT,
    url TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    scheduled_at REAL NOT NULL,
    response_status INTEGER,
    duration_ms REAL,
    response_body TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX deliveries_due ON deliveries (status, scheduled_at);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, created_at);
CREATE TABLE dispatcher_state (
    name TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
ALTER TABLE events ADD COLUMN fan_out INTEGER NOT NULL DEFAULT 1
