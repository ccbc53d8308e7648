-- teams, members, keys, the REST resources, idempotency and the events outbox.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    avatar_url TEXT,
    role TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]',
    xp INTEGER NOT NULL DEFAULT 0,
    level INTEGER NOT NULL DEFAULT 1,
    joined_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_scope ON members (team_id, livemode, joined_at);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    last4 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_keys_scope ON api_keys (team_id, livemode, created_at);
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    status TEXT NOT NULL,
    sentiment TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (team_id, livemode, email_key)
);
CREATE INDEX customers_scope ON customers (team_id, livemode, created_at);
CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    channel TEXT NOT NULL,
    customer_id TEXT,
    customer_name TEXT,
    assigned_to TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    message_count INTEGER NOT NULL DEFAULT 0,
    response_deadline TEXT,
    resolution_deadline TEXT,
    first_response_at TEXT,
    response_tier TEXT,
    resolution_tier TEXT,
    sla_paused INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    resolved_at TEXT,
    closed_at TEXT
);
CREATE INDEX tickets_scope ON tickets (team_id, livemode, created_at);
CREATE INDEX tickets_customer ON tickets (customer_id);
CREATE UNIQUE INDEX tickets_number ON tickets (team_id, livemode, number);
CREATE INDEX tickets_assignee ON tickets (assigned_to);
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    content TEXT NOT NULL,
    sender TEXT NOT NULL,
    sender_name TEXT,
    is_internal INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, created_at);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    excerpt TEXT,
    content TEXT NOT NULL,
    category_id TEXT,
    category TEXT,
    status TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    view_count INTEGER NOT NULL DEFAULT 0,
    use_count INTEGER NOT NULL DEFAULT 0,
    is_public INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    meta_description TEXT,
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX articles_scope ON articles (team_id, livemode, created_at);
CREATE TABLE idempotency_keys (
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    response_body BLOB,
    request_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (team_id, livemode, key)
);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    request_id TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX events_scope ON events (team_id, livemode, seq)
