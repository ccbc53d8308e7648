-- the community (D43: topics, posts, their comments and votes), CSAT (D44: settings and
-- surveys). Every table holds environment data: a reset (D33) clears it, which puts the CSAT
-- settings back to their defaults (no row = the defaults).
CREATE TABLE community_topics (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (team_id, livemode, slug)
);
CREATE TABLE community_posts (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    topic_id TEXT REFERENCES community_topics(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    is_pinned INTEGER NOT NULL DEFAULT 0,
    is_locked INTEGER NOT NULL DEFAULT 0,
    custom_fields TEXT NOT NULL DEFAULT '{}',
    author_type TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT,
    vote_count INTEGER NOT NULL DEFAULT 0,
    comment_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX community_posts_scope ON community_posts (team_id, livemode, topic_id);
CREATE TABLE community_comments (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    body TEXT NOT NULL,
    author_type TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT,
    is_official INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX community_comments_post ON community_comments (post_id);
CREATE TABLE community_votes (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES community_posts(id) ON DELETE CASCADE,
    team_id TEXT NOT NULL,
    livemode INTEGER NOT NULL,
    voter_type TEXT NOT NULL,
    voter_id TEXT NOT NULL,
    voter_name TEXT,
    value INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (post_id, voter_type, voter_id)
);
CREATE TABLE csat_settings (
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    question TEXT NOT NULL,
    send_after TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (team_id, livemode)
);
CREATE TABLE csat_surveys (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams(id),
    livemode INTEGER NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    customer_id TEXT,
    rating INTEGER NOT NULL,
    comment TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (ticket_id)
);
CREATE INDEX csat_surveys_scope ON csat_surveys (team_id, livemode, created_at);
