-- Liveline schema, version 4: autosaved revisions.
-- The desktop editor saves while people type. An autosave folds into the
-- latest revision when that one is an autosave by the same person made
-- minutes ago; an explicit save (or any other writer) starts a new one.
ALTER TABLE revisions ADD COLUMN autosaved INTEGER NOT NULL DEFAULT 0 CHECK (autosaved IN (0, 1));
