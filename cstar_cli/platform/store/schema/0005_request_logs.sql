-- the API request log (D17). Never bodies, never full keys.
CREATE TABLE request_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    source TEXT NOT NULL,
    ip_address TEXT,
    key TEXT,
    idempotency_key TEXT,
    error_type TEXT,
    error_code TEXT,
    error_message TEXT,
    created_at TEXT NOT NULL,
    created_ts REAL NOT NULL
);
CREATE INDEX request_logs_scope ON request_logs (team_id, livemode, seq);
CREATE INDEX request_logs_age ON request_logs (created_ts)
