-- Widget settings of the developer API (POST /api/v1/widgets/:id): where the launcher sits, what it says, and
-- which sites may use the widget.

-- JSON array of canonical origins (`https://shop.example`, `https://*.example.com`); empty allows every origin.
ALTER TABLE widgets ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '[]';
-- The bottom corner the launcher sits in.
ALTER TABLE widgets ADD COLUMN launcher_position TEXT NOT NULL DEFAULT 'right'
    CHECK (launcher_position IN ('right', 'left'));
-- The launcher's accessible label (at most 40 characters, checked by the API).
ALTER TABLE widgets ADD COLUMN launcher_label TEXT NOT NULL DEFAULT 'Chat with us';
