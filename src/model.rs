//! The nouns of live coverage, as the rest of the world sees them (CLI JSON,
//! the desktop app, the feed). Times are already in the blog's zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::blocks::Block;
use crate::error::{Error, Result};
use crate::time::serde_rfc3339;

/// One coverage: a live blog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Blog {
    #[ts(type = "string")]
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    /// The standfirst shown under the headline.
    pub summary: Option<String>,
    /// BCP 47 language tag, e.g. `en-GB`.
    pub language: String,
    /// IANA time zone in which the coverage is shown, e.g. `Europe/London`.
    pub timezone: String,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub coverage_start: DateTime<FixedOffset>,
    #[serde(with = "serde_rfc3339::option")]
    #[ts(type = "string | null")]
    pub coverage_end: Option<DateTime<FixedOffset>>,
    /// True until the coverage is ended.
    pub live: bool,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub created_at: DateTime<FixedOffset>,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub updated_at: DateTime<FixedOffset>,
}

/// Where an entry stands in the editorial workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Ready,
    Published,
    Retracted,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::Ready,
        Status::Published,
        Status::Retracted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Ready => "ready",
            Status::Published => "published",
            Status::Retracted => "retracted",
        }
    }

    /// The workflow: draft -> ready -> published -> retracted, draft may be
    /// published directly, and an editor may return a ready entry to draft.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Draft, Ready)
                | (Draft, Published)
                | (Ready, Published)
                | (Ready, Draft)
                | (Published, Retracted)
        )
    }

    /// Refuse a transition the workflow does not allow, naming both statuses.
    pub fn check_transition(self, to: Status, id: Uuid) -> Result<()> {
        if self.can_become(to) {
            return Ok(());
        }
        let hint = match (self, to) {
            (from, to) if from == to => " (it already is)",
            (Status::Published, Status::Draft | Status::Ready) => {
                " (a published entry stays published when edited; retract it to take it down)"
            }
            (Status::Retracted, _) => " (a retracted entry is final; write a new entry instead)",
            (Status::Draft, Status::Retracted) => {
                " (a draft was never published; delete it instead)"
            }
            _ => "",
        };
        Err(Error::InvalidTransition {
            id: id.to_string(),
            current: self,
            requested: to,
            hint,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown status '{s}': use draft, ready, published or retracted"
                ))
            })
    }
}

/// One update of the coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Entry {
    #[ts(type = "string")]
    pub id: Uuid,
    /// The blog's slug.
    pub blog: String,
    pub title: String,
    pub status: Status,
    pub pinned: bool,
    pub key_event: bool,
    /// The byline.
    pub author: Option<String>,
    /// The time readers see: the first publication unless a correspondent set it.
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub display_at: DateTime<FixedOffset>,
    /// True when a person set `display_at` (it then no longer follows publication).
    pub display_at_set: bool,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub created_at: DateTime<FixedOffset>,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub updated_at: DateTime<FixedOffset>,
    /// First publication; kept when the entry is later retracted.
    #[serde(with = "serde_rfc3339::option")]
    #[ts(type = "string | null")]
    pub published_at: Option<DateTime<FixedOffset>>,
    /// Number of the latest saved revision (1 for a new entry).
    pub revision: u32,
    /// Public note shown with a corrected published entry.
    pub correction_note: Option<String>,
    /// An editor's note from returning the entry to draft.
    pub review_note: Option<String>,
    /// Opaque editorial position key (hex); only its order means anything.
    pub position: String,
    pub blocks: Vec<Block>,
    /// The photos the body shows, in body order.
    #[serde(default)]
    pub photos: Vec<crate::photos::Photo>,
    /// What an editor should fix before or after publishing (photo credit, alt text).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// One saved state of an entry: who saved it, when, and the full content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Revision {
    pub revision: u32,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub at: DateTime<FixedOffset>,
    /// Who saved this revision.
    pub author: String,
    /// What made it: `created`, `edited` or `restored`.
    pub action: String,
    /// For a restore, the revision it brought back.
    pub restored_from: Option<u32>,
    pub content: RevisionContent,
}

/// The entry's content at a revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RevisionContent {
    pub title: String,
    /// The byline at that revision.
    pub author: Option<String>,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub display_at: DateTime<FixedOffset>,
    pub display_at_set: bool,
    pub correction_note: Option<String>,
    pub blocks: Vec<Block>,
}

/// What a new blog needs; everything optional has a sensible default.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NewBlog {
    pub title: String,
    pub slug: Option<String>,
    pub timezone: Option<String>,
    pub summary: Option<String>,
    pub language: Option<String>,
}

/// The status a new entry starts in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Initial {
    #[default]
    Draft,
    Ready,
    Published,
}

/// What a new entry needs.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct NewEntry {
    pub title: String,
    pub blocks: Vec<Block>,
    pub author: Option<String>,
    /// A display time as a person writes it (RFC 3339, or local in the blog's zone).
    pub display_at: Option<String>,
    #[serde(default)]
    pub initial: Initial,
}

/// A change to an entry's content; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct EntryEdit {
    pub title: Option<String>,
    pub blocks: Option<Vec<Block>>,
    /// `Some(None)` or `Some(Some(""))` removes the byline. From JSON,
    /// `null` or absent keeps it and `""` removes it.
    #[ts(type = "string | null")]
    pub author: Option<Option<String>>,
    /// `""` gives up a set time: the entry shows its first publication again.
    pub display_at: Option<String>,
    /// Public correction note; only for a published entry.
    pub correction_note: Option<String>,
}

/// Where to move an entry in the editorial order.
/// In JSON: `{"to": "top"}`, `{"to": "before", "id": "..."}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "to", content = "id", rename_all = "lowercase")]
pub enum Placement {
    Top,
    Bottom,
    Before(#[ts(type = "string")] Uuid),
    After(#[ts(type = "string")] Uuid),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListOrder {
    /// Pinned first, then by editorial position.
    #[default]
    Editorial,
    /// By display time, newest first.
    Newest,
    /// By display time, oldest first.
    Oldest,
}

impl FromStr for ListOrder {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "editorial" => Ok(ListOrder::Editorial),
            "newest" => Ok(ListOrder::Newest),
            "oldest" => Ok(ListOrder::Oldest),
            _ => Err(Error::invalid(format!(
                "unknown order '{s}': use editorial, newest or oldest"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Option<Status>,
    pub order: ListOrder,
    pub limit: u32,
    pub offset: u64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            status: None,
            order: ListOrder::Editorial,
            limit: 50,
            offset: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_allows_exactly_the_documented_transitions() {
        use Status::*;
        let allowed = [
            (Draft, Ready),
            (Draft, Published),
            (Ready, Published),
            (Ready, Draft),
            (Published, Retracted),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn refused_transition_names_current_and_requested_status() {
        let id = Uuid::now_v7();
        let err = Status::Published
            .check_transition(Status::Ready, id)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_transition");
        let msg = err.to_string();
        assert!(
            msg.contains("is published") && msg.contains("cannot become ready"),
            "{msg}"
        );
        assert!(msg.contains(&id.to_string()));
    }

    #[test]
    fn status_and_order_parse_from_their_names_only() {
        assert_eq!("ready".parse::<Status>().unwrap(), Status::Ready);
        assert!("Ready".parse::<Status>().is_err());
        assert_eq!("newest".parse::<ListOrder>().unwrap(), ListOrder::Newest);
        assert!("random"
            .parse::<ListOrder>()
            .unwrap_err()
            .to_string()
            .contains("editorial"));
    }
}
