-- Quincer's core schema. Times are RFC 3339 UTC text (sortable); `seq` columns give a stable order and cursors.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE widgets (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    brand          TEXT NOT NULL,
    website_url    TEXT,
    primary_color  TEXT NOT NULL DEFAULT '#4f46e5',
    greeting       TEXT NOT NULL DEFAULT 'Hi! How can I help you today?',
    locale         TEXT NOT NULL DEFAULT 'en',
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX widgets_org ON widgets(org_id, seq);

-- Public embed keys: not secret (they are in every page), so stored as is.
CREATE TABLE widget_keys (
    key         TEXT PRIMARY KEY,
    widget_id   TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    revoked_at  TEXT
);
CREATE INDEX widget_keys_widget ON widget_keys(widget_id);

-- Developer keys are secrets: only their SHA-256 is stored; `prefix` lets people tell keys apart.
CREATE TABLE developer_keys (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key_hash    TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    scopes      TEXT NOT NULL,            -- space-separated
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    revoked_at  TEXT
);

CREATE TABLE personas (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    widget_id      TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    system_prompt  TEXT NOT NULL DEFAULT '',
    bubble_color   TEXT NOT NULL DEFAULT '#4f46e5',
    url_patterns   TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    is_default     INTEGER NOT NULL DEFAULT 0,
    greeting       TEXT,
    avatar_url     TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX personas_widget ON personas(widget_id, seq);

CREATE TABLE knowledge_items (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    widget_id    TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    persona_id   TEXT REFERENCES personas(id) ON DELETE SET NULL,
    title        TEXT NOT NULL,
    content      TEXT NOT NULL,
    url          TEXT,
    source_type  TEXT NOT NULL DEFAULT 'manual',
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX knowledge_widget ON knowledge_items(widget_id, seq);

-- Full-text index over knowledge, kept in step by triggers. Porter stemming lets "shipping" find "ship".
CREATE VIRTUAL TABLE knowledge_fts USING fts5(
    title, content, content = 'knowledge_items', content_rowid = 'seq', tokenize = 'porter unicode61'
);
CREATE TRIGGER knowledge_ai AFTER INSERT ON knowledge_items BEGIN
    INSERT INTO knowledge_fts(rowid, title, content) VALUES (new.seq, new.title, new.content);
END;
CREATE TRIGGER knowledge_ad AFTER DELETE ON knowledge_items BEGIN
    INSERT INTO knowledge_fts(knowledge_fts, rowid, title, content) VALUES ('delete', old.seq, old.title, old.content);
END;
CREATE TRIGGER knowledge_au AFTER UPDATE ON knowledge_items BEGIN
    INSERT INTO knowledge_fts(knowledge_fts, rowid, title, content) VALUES ('delete', old.seq, old.title, old.content);
    INSERT INTO knowledge_fts(rowid, title, content) VALUES (new.seq, new.title, new.content);
END;

-- A visitor's token is their only credential: stored hashed.
CREATE TABLE visitors (
    id            TEXT PRIMARY KEY,
    widget_id     TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE conversations (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    widget_id   TEXT NOT NULL REFERENCES widgets(id) ON DELETE CASCADE,
    visitor_id  TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
    persona_id  TEXT REFERENCES personas(id) ON DELETE SET NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'human_active', 'closed')),
    channel     TEXT NOT NULL DEFAULT 'web',
    page_url    TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX conversations_widget ON conversations(widget_id, seq);
CREATE INDEX conversations_visitor ON conversations(visitor_id);

-- Message ids come from clients (AI SDK message ids), so they are unique per conversation, not globally.
CREATE TABLE messages (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'agent')),
    text             TEXT NOT NULL,
    speaker_name     TEXT,
    persona_id       TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (conversation_id, id)
);
