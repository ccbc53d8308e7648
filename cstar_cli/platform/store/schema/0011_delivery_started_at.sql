-- When each delivery attempt ran: created_at is when it was queued (a retry is queued the moment
-- the attempt before it fails), scheduled_at when it is due, started_at when it started.
ALTER TABLE deliveries ADD COLUMN started_at TEXT
