-- a reset of the test environment (D33) keeps the seed members and the four seed keys. `seed`
-- marks them: a seed member's position in SEED_MEMBERS (1 owner, 2 and 3 agents), 1 for a seed
-- key, 0 for everything created later. Rows seeded by an older release are found by their
-- seed values: members by email, joined when the team was made; keys by their names, the
-- newest of each kind (re-issued keys replace the older ones).
ALTER TABLE members ADD COLUMN seed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN seed INTEGER NOT NULL DEFAULT 0;
UPDATE members SET seed = CASE email
        WHEN 'ada@example.com' THEN 1 WHEN 'grace@example.com' THEN 2 ELSE 3 END
    WHERE email IN ('ada@example.com', 'grace@example.com', 'alan@example.com')
    AND joined_at = (SELECT created_at FROM teams WHERE teams.id = members.team_id);
UPDATE api_keys SET seed = 1 WHERE name LIKE 'Seed % key (%' AND created_at = (
    SELECT MAX(k.created_at) FROM api_keys k WHERE k.team_id = api_keys.team_id
    AND k.livemode = api_keys.livemode AND k.type = api_keys.type AND k.name LIKE 'Seed % key (%')
