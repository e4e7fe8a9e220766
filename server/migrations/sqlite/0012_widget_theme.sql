-- The widget's colour scheme: follow the visitor's system setting (`auto`), or always `light` or `dark`.
ALTER TABLE widgets ADD COLUMN theme TEXT NOT NULL DEFAULT 'auto' CHECK (theme IN ('auto', 'light', 'dark'));
