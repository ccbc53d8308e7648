-- preferences, quests and social (D46): team and member preferences, quest progress per period,
-- high-fives and one-ups. Every table carries team_id + livemode, so a reset (D33) clears it.
CREATE TABLE team_preferences (
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    business_hours TEXT NOT NULL,
    gamification_enabled INTEGER NOT NULL DEFAULT 1,
    default_priority TEXT NOT NULL DEFAULT 'normal',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team_id, livemode)
);
CREATE TABLE member_preferences (
    member_id TEXT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    notifications TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT 'system',
    sound_effects INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE TABLE quest_progress (
    member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    quest TEXT NOT NULL,
    period TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    completed_at TEXT,
    PRIMARY KEY (member_id, quest, period)
);
CREATE INDEX quest_progress_done ON quest_progress (member_id, completed_at);
CREATE TABLE social_sends (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    kind TEXT NOT NULL,
    from_member TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    to_member TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    message TEXT,
    ticket_id TEXT,
    day TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX social_sends_sender ON social_sends (from_member, day);
