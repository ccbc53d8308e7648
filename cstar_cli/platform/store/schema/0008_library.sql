-- the public library (D25). Article categories (cat_ ids; names and slugs unique per team
-- and environment), feedback on articles and its counts, slugs unique per team and
-- environment (older duplicates get their id's start appended). category_id held free text
-- before categories existed: it is cleared, the category name stays.
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
