-- Visitor identity: what the host page says about its visitor (`Quincer('identify', {...})` →
-- POST /api/widget/identify). Every column is optional; lengths and formats are checked by the API.

ALTER TABLE visitors ADD COLUMN email TEXT;
ALTER TABLE visitors ADD COLUMN name TEXT;
ALTER TABLE visitors ADD COLUMN phone TEXT;
-- The host application's own id for the user (its login), so a developer can join our visitors to their users.
ALTER TABLE visitors ADD COLUMN external_id TEXT;
-- Custom traits: a JSON object of flat values (string, number, boolean), at most 50 keys.
ALTER TABLE visitors ADD COLUMN traits TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(traits));
-- Time of the latest identify call; NULL while the host page never identified the visitor.
ALTER TABLE visitors ADD COLUMN identified_at TEXT;
