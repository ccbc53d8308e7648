-- game engine (D19-D22): SLA rules, the per-team test clock, players, XP ledger, bosses.
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
