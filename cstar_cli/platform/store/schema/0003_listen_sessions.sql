-- listen sessions (D14) and their numbered, unacknowledged events (D15).
CREATE TABLE listen_sessions (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    device_name TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    next_seq INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    expires_at REAL NOT NULL,
    UNIQUE (team_id, livemode, device_name)
);
CREATE TABLE session_events (
    session_id TEXT NOT NULL REFERENCES listen_sessions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    delivery_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (session_id, seq)
)
