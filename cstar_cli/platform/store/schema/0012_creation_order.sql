-- Lists follow creation order (D37: the rows' sequence, whatever a test clock did). An index on
-- (team_id, livemode) keeps each team and environment's rows in rowid order, so a page of the
-- newest comes straight from it instead of sorting every row of the list.
CREATE INDEX tickets_creation ON tickets (team_id, livemode);
CREATE INDEX customers_creation ON customers (team_id, livemode);
CREATE INDEX articles_creation ON articles (team_id, livemode);
CREATE INDEX categories_creation ON categories (team_id, livemode);
CREATE INDEX webhooks_creation ON webhooks (team_id, livemode);
CREATE INDEX api_keys_creation ON api_keys (team_id, livemode);
CREATE INDEX sla_rules_creation ON sla_rules (team_id, livemode);
