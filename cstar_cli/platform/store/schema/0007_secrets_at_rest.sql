-- secrets at rest (D27) and key lifecycle (D28). The platform key's probe; each secret key
-- sealed with it (identity HMACs, D18, are keyed with secret keys); the key a roll replaced a
-- key with. Webhook secrets and stored idempotent responses are sealed in their own columns.
CREATE TABLE platform_vault (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    probe TEXT NOT NULL
);
ALTER TABLE api_keys ADD COLUMN secret_sealed TEXT;
ALTER TABLE api_keys ADD COLUMN replaced_by TEXT
