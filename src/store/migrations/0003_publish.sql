-- Liveline schema, version 3: publishing.

-- Where and how a blog is published; used by `liveline publish` when a flag
-- is left out, and by the desktop app's Publish button.
CREATE TABLE publish_settings (
    blog_id         TEXT PRIMARY KEY REFERENCES blogs(id) ON DELETE CASCADE,
    out_dir         TEXT NOT NULL,
    base_url        TEXT,
    page_size       INTEGER NOT NULL CHECK (page_size BETWEEN 1 AND 500),
    updated_at      INTEGER NOT NULL
) STRICT;

-- The last publish of a blog into a folder: the change clock it saw, a hash
-- of everything outside the entries that its pages depend on, and counts.
CREATE TABLE publish_runs (
    blog_id         TEXT NOT NULL REFERENCES blogs(id) ON DELETE CASCADE,
    out_dir         TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    context         TEXT NOT NULL,
    entry_count     INTEGER NOT NULL,
    last_modified   INTEGER,
    published_at    INTEGER NOT NULL,
    PRIMARY KEY (blog_id, out_dir)
) STRICT, WITHOUT ROWID;

-- Each page that publish wrote: a fingerprint of its inputs, its size, and
-- the media files and warnings it carries (JSON arrays). Lets a republish
-- skip pages whose entries did not change without reading them.
CREATE TABLE publish_pages (
    blog_id         TEXT NOT NULL REFERENCES blogs(id) ON DELETE CASCADE,
    out_dir         TEXT NOT NULL,
    name            TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    bytes           INTEGER NOT NULL,
    media           TEXT NOT NULL,
    warnings        TEXT NOT NULL,
    PRIMARY KEY (blog_id, out_dir, name)
) STRICT, WITHOUT ROWID;

-- A change clock: every insert or update of an entry takes the next tick
-- (change_seq); layout_seq takes it too when the entry's place in the
-- published feed can change (status, pin, position). A republish asks
-- "what changed since tick N" through an index instead of reading the blog.
CREATE TABLE change_clock (
    only            INTEGER PRIMARY KEY CHECK (only = 1),
    seq             INTEGER NOT NULL
) STRICT;
INSERT INTO change_clock (only, seq) VALUES (1, 0);

ALTER TABLE entries ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN layout_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX entries_changes ON entries (blog_id, change_seq);
CREATE INDEX entries_layout_changes ON entries (blog_id, layout_seq);

CREATE TRIGGER entries_clock_insert AFTER INSERT ON entries
BEGIN
    UPDATE change_clock SET seq = seq + 1;
    UPDATE entries SET change_seq = (SELECT seq FROM change_clock),
                       layout_seq = (SELECT seq FROM change_clock)
     WHERE id = NEW.id;
END;

-- The inner UPDATE does not fire this trigger again (recursive triggers are
-- off), and the WHEN clause would stop it if they were on.
CREATE TRIGGER entries_clock_update AFTER UPDATE ON entries
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE change_clock SET seq = seq + 1;
    UPDATE entries SET change_seq = (SELECT seq FROM change_clock),
                       layout_seq = CASE
                           WHEN NEW.status IS NOT OLD.status OR NEW.pinned IS NOT OLD.pinned
                                OR NEW.position IS NOT OLD.position
                           THEN (SELECT seq FROM change_clock)
                           ELSE OLD.layout_seq END
     WHERE id = NEW.id;
END;

-- Covers the publish index query (published entries in editorial order with
-- what fingerprints need), so a republish reads this index, not every row.
CREATE INDEX entries_publish_index ON entries
    (blog_id, status, pinned DESC, position, id, key_event, revision, updated_at);

-- Key events for the feed's key-events box, without visiting every entry.
CREATE INDEX entries_key_events ON entries (blog_id, display_at DESC, id DESC)
    WHERE status = 'published' AND key_event = 1;
