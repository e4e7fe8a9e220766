-- A counter per widget that every change to its products bumps (insert, update, delete; by any writer: the importer,
-- the developer API, the indexer storing vectors), so a search knows from one row whether the catalog it holds in
-- memory is current, instead of summing over every product (measured: most of a search's time at 5,000 products).
CREATE TABLE catalog_versions (
    widget_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
);

INSERT INTO catalog_versions (widget_id, version) SELECT widget_id, 1 FROM products GROUP BY widget_id;

CREATE TRIGGER products_bump_version_on_insert AFTER INSERT ON products BEGIN
    INSERT INTO catalog_versions (widget_id, version) VALUES (NEW.widget_id, 1)
    ON CONFLICT (widget_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER products_bump_version_on_update AFTER UPDATE ON products BEGIN
    INSERT INTO catalog_versions (widget_id, version) VALUES (NEW.widget_id, 1)
    ON CONFLICT (widget_id) DO UPDATE SET version = version + 1;
END;

-- No insert here: a widget with products already has its row, and a deleted widget's products must not recreate it.
CREATE TRIGGER products_bump_version_on_delete AFTER DELETE ON products BEGIN
    UPDATE catalog_versions SET version = version + 1 WHERE widget_id = OLD.widget_id;
END;

CREATE TRIGGER widgets_drop_catalog_version AFTER DELETE ON widgets BEGIN
    DELETE FROM catalog_versions WHERE widget_id = OLD.id;
END;
