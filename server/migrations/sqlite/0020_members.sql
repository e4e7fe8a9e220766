-- Team members: the people (and agents such as OpenClaw) who sign in to the inbox or act through a developer key
-- bound to them. Emails are unique per organisation without regard to case (the index on lower(email)); passwords
-- are Argon2id PHC strings, NULL for a member who cannot sign in (a bot reached only through its key).

CREATE TABLE members (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    org_id         TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL,
    avatar_url     TEXT,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent')),
    password_hash  TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    disabled_at    TEXT
);
CREATE UNIQUE INDEX members_org_email ON members(org_id, lower(email));
CREATE INDEX members_org ON members(org_id, seq);
-- Sign-in finds a member by email alone (the organisation follows from the member).
CREATE INDEX members_email ON members(lower(email));

-- Sign-in sessions: the cookie's token is stored hashed (SHA-256, like developer keys); the CSRF token is not a
-- credential on its own (it must come with the cookie), so it is kept as is to be compared.
CREATE TABLE member_sessions (
    id            TEXT PRIMARY KEY,
    member_id     TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_seen_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT
);
CREATE INDEX member_sessions_member ON member_sessions(member_id);

-- A developer key acting as a member: its takeovers and replies are that member's.
ALTER TABLE developer_keys ADD COLUMN member_id TEXT REFERENCES members(id) ON DELETE SET NULL;
