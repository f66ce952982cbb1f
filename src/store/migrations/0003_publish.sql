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

-- What the last publish of a blog into a folder wrote: for each file, a
-- fingerprint of its inputs, its size and the media it uses (JSON). Lets a
-- republish skip pages whose entries did not change without reading them.
CREATE TABLE publish_state (
    blog_id         TEXT NOT NULL REFERENCES blogs(id) ON DELETE CASCADE,
    out_dir         TEXT NOT NULL,
    state           TEXT NOT NULL,
    published_at    INTEGER NOT NULL,
    PRIMARY KEY (blog_id, out_dir)
) STRICT, WITHOUT ROWID;

-- Covers the publish index query (published entries in editorial order with
-- what fingerprints need), so a republish reads this index, not every row.
CREATE INDEX entries_publish_index ON entries
    (blog_id, status, pinned DESC, position, id, key_event, revision, updated_at);

-- Key events for the feed's key-events box, without visiting every entry.
CREATE INDEX entries_key_events ON entries (blog_id, display_at DESC, id DESC)
    WHERE status = 'published' AND key_event = 1;
