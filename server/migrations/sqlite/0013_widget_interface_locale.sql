-- The language of the widget's own interface (launcher label, buttons, system lines): `auto` follows the visitor
-- (the host page's `Quincer('setLocale')`, else the browser's languages); a tag fixes it for every visitor.
ALTER TABLE widgets ADD COLUMN interface_locale TEXT NOT NULL DEFAULT 'auto';
