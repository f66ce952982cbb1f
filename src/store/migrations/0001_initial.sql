-- Liveline schema, version 1. Instants are INTEGER milliseconds since the Unix
-- epoch, UTC. Ids are UUID strings. Bodies are JSON arrays of blocks.

CREATE TABLE blogs (
    id              TEXT PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    summary         TEXT,
    language        TEXT NOT NULL,
    timezone        TEXT NOT NULL,
    coverage_start  INTEGER NOT NULL,
    coverage_end    INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE entries (
    id              TEXT PRIMARY KEY,
    blog_id         TEXT NOT NULL REFERENCES blogs(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    author          TEXT,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'ready', 'published', 'retracted')),
    pinned          INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    key_event       INTEGER NOT NULL DEFAULT 0 CHECK (key_event IN (0, 1)),
    -- Editorial position: byte order is editorial order (see src/ordering.rs).
    position        BLOB NOT NULL,
    display_at      INTEGER NOT NULL,
    display_at_set  INTEGER NOT NULL DEFAULT 0 CHECK (display_at_set IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    published_at    INTEGER,
    revision        INTEGER NOT NULL,
    correction_note TEXT,
    review_note     TEXT,
    UNIQUE (blog_id, position)
) STRICT;

-- Editorial order: pinned first, then by position. One index walk per page.
CREATE INDEX entries_editorial ON entries (blog_id, pinned DESC, position);
CREATE INDEX entries_status_editorial ON entries (blog_id, status, pinned DESC, position);
-- Newest/oldest by display time.
CREATE INDEX entries_display ON entries (blog_id, display_at, id);
CREATE INDEX entries_status_display ON entries (blog_id, status, display_at, id);

-- Every save of an entry, with who saved it and the full content.
CREATE TABLE revisions (
    entry_id        TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    saved_by        TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('created', 'edited', 'restored')),
    restored_from   INTEGER,
    title           TEXT NOT NULL,
    author          TEXT,
    display_at      INTEGER NOT NULL,
    display_at_set  INTEGER NOT NULL CHECK (display_at_set IN (0, 1)),
    correction_note TEXT,
    body            TEXT NOT NULL,
    PRIMARY KEY (entry_id, revision)
) STRICT, WITHOUT ROWID;
