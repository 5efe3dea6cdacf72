-- The message log: one row per message, keyed by (chat, seq). Rows are never deleted: a deleted
-- message keeps its row (text erased, deleted_at set) so clients can catch up on the tombstone.
-- version is the chat version of the row's last change (send, edit, delete, reaction).
CREATE TABLE IF NOT EXISTS messages (
    chat_id            uuid        NOT NULL,
    seq                bigint      NOT NULL,
    id                 uuid        NOT NULL,
    sender_id          uuid        NOT NULL,
    sender_username    text        NOT NULL,
    text               text        NULL,
    reply_to           uuid        NULL,
    client_message_id  text        NULL,
    created_at         timestamptz NOT NULL,
    edited_at          timestamptz NULL,
    deleted_at         timestamptz NULL,
    version            bigint      NOT NULL,
    PRIMARY KEY (chat_id, seq)
);

CREATE UNIQUE INDEX IF NOT EXISTS messages_id_uq ON messages (id);
CREATE UNIQUE INDEX IF NOT EXISTS messages_client_id_uq
    ON messages (chat_id, sender_id, client_message_id) WHERE client_message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_version_ix ON messages (chat_id, version);

-- One reaction per user per message.
CREATE TABLE IF NOT EXISTS reactions (
    message_id  uuid        NOT NULL,
    user_id     uuid        NOT NULL,
    chat_id     uuid        NOT NULL,
    emoji       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (message_id, user_id)
);

-- How far each member has read each chat (drives unreadCount).
CREATE TABLE IF NOT EXISTS read_markers (
    chat_id        uuid   NOT NULL,
    user_id        uuid   NOT NULL,
    last_read_seq  bigint NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);
