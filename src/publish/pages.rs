//! Where page boundaries fall.
//!
//! Pages are counted from the OLDEST end: older pages hold exactly
//! `page_size` entries each, and the first page (`feed.json`) holds the
//! newest entries plus the remainder (between `page_size` and
//! `2 * page_size - 1` entries once there are that many). A new entry on top
//! therefore changes only the first page; when the first page fills up, its
//! bottom `page_size` entries become a new older page and every existing
//! older page keeps its name and its bytes.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePlan {
    /// File name in the output folder.
    pub name: String,
    /// 0 for the first page; older pages count up from the oldest (1).
    pub number: u64,
    /// The entries on the page, as indices into editorial order (0 = top).
    pub range: Range<usize>,
}

pub const FIRST_PAGE: &str = "feed.json";

pub fn page_name(number: u64) -> String {
    if number == 0 {
        FIRST_PAGE.to_string()
    } else {
        format!("feed-{number}.json")
    }
}

/// Pages for `count` entries, in chain order: the first page, then older
/// pages from the newest of them to the oldest.
pub fn plan(count: usize, page_size: usize) -> Vec<PagePlan> {
    let page_size = page_size.max(1);
    let older = (count / page_size).saturating_sub(1);
    let first_len = count - older * page_size;
    let mut pages = vec![PagePlan {
        name: page_name(0),
        number: 0,
        range: 0..first_len,
    }];
    for number in (1..=older as u64).rev() {
        let end = count - (number as usize - 1) * page_size;
        pages.push(PagePlan {
            name: page_name(number),
            number,
            range: end - page_size..end,
        });
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_feeds_have_one_page() {
        assert_eq!(
            plan(0, 20),
            vec![PagePlan {
                name: "feed.json".into(),
                number: 0,
                range: 0..0
            }]
        );
        assert_eq!(plan(39, 20).len(), 1);
    }

    #[test]
    fn older_pages_are_full_and_named_from_the_oldest() {
        let pages = plan(65, 20);
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["feed.json", "feed-2.json", "feed-1.json"]);
        assert_eq!(pages[0].range, 0..25);
        assert_eq!(pages[1].range, 25..45);
        assert_eq!(pages[2].range, 45..65);
    }

    proptest! {
        #[test]
        fn pages_cover_every_entry_once_in_order(count in 0usize..2_000, size in 1usize..60) {
            let pages = plan(count, size);
            let mut next = 0;
            for page in &pages {
                prop_assert_eq!(page.range.start, next);
                next = page.range.end;
                if page.number > 0 {
                    prop_assert_eq!(page.range.len(), size);
                }
            }
            prop_assert_eq!(next, count);
            if count >= size {
                prop_assert!(pages[0].range.len() >= size && pages[0].range.len() < 2 * size);
            }
        }

        #[test]
        fn a_new_top_entry_leaves_older_pages_alone(count in 0usize..2_000, size in 1usize..60) {
            // Entry i from the bottom keeps its page unless it is on the first page.
            let before = plan(count, size);
            let after = plan(count + 1, size);
            for page in before.iter().filter(|p| p.number > 0) {
                let same = after.iter().find(|p| p.number == page.number).expect("page kept");
                // Shifted by one index because the new entry sits on top.
                prop_assert_eq!(same.range.start, page.range.start + 1);
                prop_assert_eq!(same.range.len(), page.range.len());
            }
        }
    }
}
