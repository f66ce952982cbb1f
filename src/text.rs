//! Checks for the short texts people type: titles, bylines, notes, slugs.
//! Each returns the cleaned value or an error that names the field.

use crate::error::{Error, Result};

pub const MAX_TITLE: usize = 300;
pub const MAX_NAME: usize = 200;
pub const MAX_SUMMARY: usize = 2_000;
pub const MAX_NOTE: usize = 2_000;
pub const MAX_SLUG: usize = 80;

fn check_chars(value: &str, field: &str, multiline: bool) -> Result<()> {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !(multiline && (*c == '\n' || *c == '\t')))
    {
        let what = if c == '\n' {
            "a line break".to_string()
        } else {
            format!("the control character U+{:04X}", c as u32)
        };
        return Err(Error::invalid(format!("{field} contains {what}")));
    }
    Ok(())
}

fn check_len(value: &str, field: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(format!(
            "{field} is {n} characters long; at most {max} are allowed"
        )));
    }
    Ok(())
}

/// A required one-line text, trimmed.
pub fn required_line(value: &str, field: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(format!("{field} is empty")));
    }
    check_chars(value, field, false)?;
    check_len(value, field, max)?;
    Ok(value.to_string())
}

/// An optional one-line text; blank means none.
pub fn optional_line(value: Option<&str>, field: &str, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required_line(v, field, max).map(Some),
    }
}

/// An optional text that may span lines; blank means none.
pub fn optional_text(value: Option<&str>, field: &str, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            check_chars(v, field, true)?;
            check_len(v, field, max)?;
            Ok(Some(v.to_string()))
        }
    }
}

/// A slug given by a person: lowercase letters, digits and single hyphens.
pub fn valid_slug(slug: &str) -> Result<String> {
    let ok = !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !ok {
        return Err(Error::invalid(format!(
            "invalid slug '{slug}': use lowercase letters, digits and single hyphens, at most {MAX_SLUG} characters (e.g. storm-landfall-2026)"
        )));
    }
    Ok(slug.to_string())
}

/// A slug derived from a title, transliterated to ASCII and cut at a word.
pub fn slug_from_title(title: &str) -> String {
    let full = slug::slugify(title);
    let mut slug = String::new();
    for word in full.split('-').filter(|w| !w.is_empty()) {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.is_empty() {
        "live".to_string()
    } else {
        slug
    }
}

/// A well-formed BCP 47 language tag, e.g. `en`, `en-GB`, `pt-BR`.
pub fn language_tag(tag: &str) -> Result<String> {
    language_tags::LanguageTag::parse(tag)
        .map(|t| t.to_string())
        .map_err(|e| {
            Error::invalid(format!(
                "invalid language tag '{tag}' ({e}): use e.g. en, en-GB, fr"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_derived_transliterated_and_cut_at_words() {
        assert_eq!(
            slug_from_title("Storm Ciarán: live updates"),
            "storm-ciaran-live-updates"
        );
        assert_eq!(slug_from_title("!!!"), "live");
        let long = slug_from_title(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'));
    }

    #[test]
    fn given_slugs_must_be_clean() {
        assert!(valid_slug("election-night-2026").is_ok());
        for bad in ["Election", "a--b", "-a", "a b", "../etc", "a/b", ""] {
            assert!(valid_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_refuse_breaks_and_overlong_text() {
        assert_eq!(required_line("  Hi  ", "title", 10).unwrap(), "Hi");
        assert!(required_line("a\nb", "title", 10)
            .unwrap_err()
            .to_string()
            .contains("line break"));
        assert!(required_line("  ", "title", 10)
            .unwrap_err()
            .to_string()
            .contains("title is empty"));
        assert!(required_line("abcdefghijk", "title", 10).is_err());
        assert_eq!(optional_line(Some(" "), "author", 10).unwrap(), None);
        assert!(language_tag("en-GB").is_ok());
        assert!(language_tag("english please").is_err());
    }
}
