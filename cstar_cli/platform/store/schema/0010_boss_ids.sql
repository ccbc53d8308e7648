-- Boss ids follow D2 like every other id: stored as 32 lowercase hex (bos_ on the wire); bosses
-- stored before were dashed UUIDs. Their tickets follow them; the foreign key is checked at commit.
PRAGMA defer_foreign_keys = ON;
UPDATE bosses SET id = lower(replace(id, '-', '')) WHERE id LIKE '%-%';
UPDATE boss_tickets SET boss_id = lower(replace(boss_id, '-', '')) WHERE boss_id LIKE '%-%'
