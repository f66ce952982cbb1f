-- Liveline schema, version 2: photos.

-- An imported original, stored once per content in the media folder beside
-- the database (named by its SHA-256), with what was read from it and the
-- web renditions made from it at import.
CREATE TABLE media (
    sha256          TEXT PRIMARY KEY,
    format          TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp')),
    bytes           INTEGER NOT NULL,
    width           INTEGER NOT NULL,   -- upright
    height          INTEGER NOT NULL,   -- upright
    taken_at        TEXT,               -- as recorded: RFC 3339, or local without offset
    camera          TEXT,
    has_location    INTEGER NOT NULL CHECK (has_location IN (0, 1)),
    artist          TEXT,
    copyright       TEXT,
    placeholder     TEXT NOT NULL,      -- thumbhash, base64
    renditions      TEXT NOT NULL,      -- JSON [{file, width, height, mime}]
    created_at      INTEGER NOT NULL
) STRICT;

-- A photo as an entry uses it. Credit, caption and alt are editorial and
-- belong to this use, not to the file.
CREATE TABLE photos (
    id              TEXT PRIMARY KEY,
    entry_id        TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    sha256          TEXT NOT NULL REFERENCES media(sha256),
    original_name   TEXT NOT NULL,
    credit          TEXT,
    caption         TEXT,
    alt             TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX photos_entry ON photos (entry_id);
CREATE INDEX photos_media ON photos (sha256);

-- Each revision also keeps the credit, caption and alt of the entry's photos
-- at that time (JSON [{id, credit, caption, alt}]), so a restore brings them back.
ALTER TABLE revisions ADD COLUMN photos TEXT;
