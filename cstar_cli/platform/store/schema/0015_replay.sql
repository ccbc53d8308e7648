-- Where each event came from (D39): 'action' (a real write), 'synthetic' (trigger and test
-- events) or 'replay' (a replay with edits, with replay_of naming the original). Events recorded
-- before this column were writes, except the webhook tests (the only ones kept from fan-out).
ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT 'action';
ALTER TABLE events ADD COLUMN replay_of TEXT;
UPDATE events SET origin = 'synthetic' WHERE fan_out = 0;
CREATE INDEX events_origin ON events (team_id, livemode, origin)
