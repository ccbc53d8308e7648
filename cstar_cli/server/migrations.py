"""Schema migrations, oldest first. Never edit a released migration; append a new one.

Conventions: ids are 32-hex UUIDs without dashes (the wire adds the prefix, see ``ids.py``);
every team resource is scoped by ``team_id`` and ``livemode`` so test and live data never meet;
times are ISO-8601 UTC strings with milliseconds; lists and objects are JSON text.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: teams, members, keys, the REST resources, idempotency and the events outbox.
    """
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
""",
    # 2: webhook subscriptions, delivery attempts and the dispatcher's cursor over the outbox.
    """
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
""",
    # 3: listen sessions (D14) and their numbered, unacknowledged events (D15).
    """
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
""",
    # 4: game engine (D19-D22): SLA rules, the per-team test clock, players, XP ledger, bosses.
    """
CREATE TABLE sla_rules (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    name TEXT NOT NULL,
    priority TEXT NOT NULL,
    response_target INTEGER NOT NULL,
    resolution_target INTEGER NOT NULL,
    business_hours_only INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sla_rules_scope ON sla_rules (team_id, livemode, priority, enabled);
CREATE TABLE game_scopes (
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    clock_offset REAL NOT NULL DEFAULT 0,
    sla_seeded INTEGER NOT NULL DEFAULT 0,
    bosses_spawned INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, livemode)
);
CREATE TABLE game_players (
    member_id TEXT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    gold INTEGER NOT NULL DEFAULT 0,
    streak_current INTEGER NOT NULL DEFAULT 0,
    streak_max INTEGER NOT NULL DEFAULT 0,
    streak_last_day INTEGER,
    tickets_closed INTEGER NOT NULL DEFAULT 0,
    gold_resolutions INTEGER NOT NULL DEFAULT 0,
    bosses_defeated INTEGER NOT NULL DEFAULT 0,
    final_blows INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE game_achievements (
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    key TEXT NOT NULL,
    unlocked_at TEXT NOT NULL,
    PRIMARY KEY (member_id, key)
);
CREATE TABLE xp_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    reason TEXT NOT NULL,
    ticket_id TEXT,
    tier TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX xp_ledger_scope ON xp_ledger (team_id, livemode, created_at);
CREATE INDEX xp_ledger_ticket ON xp_ledger (ticket_id);
CREATE TABLE bosses (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    hp INTEGER NOT NULL,
    max_hp INTEGER NOT NULL,
    spawned_at TEXT NOT NULL,
    expires_at TEXT,
    defeated_at TEXT,
    escaped_at TEXT,
    final_blow_member TEXT,
    team_credit INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bosses_scope ON bosses (team_id, livemode, status, spawned_at);
CREATE TABLE boss_tickets (
    boss_id TEXT NOT NULL REFERENCES bosses(id) ON DELETE CASCADE,
    ticket_id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    joined_at TEXT NOT NULL,
    damaged_at TEXT,
    damaged_by TEXT,
    PRIMARY KEY (boss_id, ticket_id)
);
ALTER TABLE tickets ADD COLUMN sla_paused_at TEXT;
ALTER TABLE tickets ADD COLUMN sla_paused_seconds REAL NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN sla_risk_at TEXT;
CREATE INDEX tickets_sla_risk ON tickets (team_id, livemode, sla_risk_at)
""",
    # 5: the API request log (D17). Never bodies, never full keys.
    """
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
""",
    # 6: listen protocol v2 (D15): routes per session, each with its own numbered queue, so a
    # target that is down never holds back another and a restart resumes each route. Events
    # queued before routes existed keep route_id '' and go to the routes of the next connection.
    """
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
""",
    # 7: secrets at rest (D27) and key lifecycle (D28). The platform key's probe; each secret key
    # sealed with it (identity HMACs, D18, are keyed with secret keys); the key a roll replaced a
    # key with. Webhook secrets and stored idempotent responses are sealed in their own columns.
    """
CREATE TABLE platform_vault (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    probe TEXT NOT NULL
);
ALTER TABLE api_keys ADD COLUMN secret_sealed TEXT;
ALTER TABLE api_keys ADD COLUMN replaced_by TEXT
""",
    # 8: the public library (D25). Article categories (cat_ ids; names and slugs unique per team
    # and environment), feedback on articles and its counts, slugs unique per team and
    # environment (older duplicates get their id's start appended). category_id held free text
    # before categories existed: it is cleared, the category name stays.
    """
CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (team_id, livemode, name_key),
    UNIQUE (team_id, livemode, slug)
);
CREATE TABLE article_feedback (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    rating TEXT NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX article_feedback_article ON article_feedback (article_id, created_at);
ALTER TABLE articles ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN not_helpful_count INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET category_id = NULL WHERE category_id IS NOT NULL;
UPDATE articles SET slug = slug || '-' || substr(id, 1, 8) WHERE rowid NOT IN
    (SELECT MIN(rowid) FROM articles GROUP BY team_id, livemode, slug);
CREATE UNIQUE INDEX articles_slug ON articles (team_id, livemode, slug);
CREATE INDEX articles_category ON articles (category_id)
""",
]
