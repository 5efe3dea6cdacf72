-- The account directory: one row per user. Uniqueness of usernames and emails is enforced here,
-- so registration is atomic across every silo. Keys are the normalized (trimmed, lowercased) forms.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS accounts (
    user_id        uuid        PRIMARY KEY,
    username       text        NOT NULL,
    username_key   text        NOT NULL,
    email          text        NULL,
    email_key      text        NULL,
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS accounts_username_key_uq ON accounts (username_key);
CREATE UNIQUE INDEX IF NOT EXISTS accounts_email_key_uq ON accounts (email_key) WHERE email_key IS NOT NULL;
-- Prefix search uses the pattern-ops index; substring search uses trigrams.
CREATE INDEX IF NOT EXISTS accounts_username_prefix_ix ON accounts (username_key text_pattern_ops);
CREATE INDEX IF NOT EXISTS accounts_username_trgm_ix ON accounts USING gin (username_key gin_trgm_ops);
