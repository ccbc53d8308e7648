-- listen protocol v2 (D15): routes per session, each with its own numbered queue, so a
-- target that is down never holds back another and a restart resumes each route. Events
-- queued before routes existed keep route_id '' and go to the routes of the next connection.
CREATE TABLE listen_routes (
    session_id TEXT NOT NULL REFERENCES listen_sessions(id) ON DELETE CASCADE,
    route_id TEXT NOT NULL,
    target TEXT NOT NULL,
    events TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    next_seq INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (session_id, route_id)
);
CREATE TABLE route_events (
    session_id TEXT NOT NULL REFERENCES listen_sessions(id) ON DELETE CASCADE,
    route_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    delivery_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    attempt INTEGER NOT NULL DEFAULT 1,
    resend INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    PRIMARY KEY (session_id, route_id, seq)
);
CREATE INDEX route_events_event ON route_events (event_id);
INSERT INTO route_events (session_id, route_id, seq, delivery_id, event_id, created_at)
    SELECT session_id, '', seq, delivery_id, event_id, created_at FROM session_events;
DROP TABLE session_events;
ALTER TABLE listen_sessions ADD COLUMN routed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN route_id TEXT
