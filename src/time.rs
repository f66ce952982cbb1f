//! Time: instants are stored in UTC (milliseconds since the Unix epoch) and
//! shown in the blog's IANA zone with its offset. Local input is read in the
//! blog's zone; a local time that the zone skips or repeats is refused rather
//! than guessed, because a guessed hour is exactly the time-zone bug live
//! blogs are known for.

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDateTime, Offset, SecondsFormat, TimeZone,
    Utc,
};
use chrono_tz::Tz;

use crate::error::{Error, Result};

/// Read an IANA zone name such as `Europe/London`.
pub fn parse_zone(name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        Error::invalid(format!(
            "unknown time zone '{name}': use an IANA name such as Europe/London, America/New_York or Asia/Kolkata"
        ))
    })
}

/// The computer's own zone, so that a reporter's blog defaults to where they are.
pub fn system_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
];

/// Read a time given by a person: `now`, RFC 3339 with an offset
/// (`2026-03-29T01:30:00+01:00`, `...Z`), or a local `YYYY-MM-DD HH:MM`
/// (seconds optional, `T` allowed) read in `zone`.
pub fn parse_time(input: &str, zone: Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let input = input.trim();
    if input.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(input) {
        return within_years(t.with_timezone(&Utc), input);
    }
    let naive = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(input, f).ok())
        .ok_or_else(|| {
            Error::InvalidTime(format!(
                "cannot read the time '{}': use RFC 3339 with an offset (2026-11-25T14:30:00+01:00) \
                 or a local time in {zone} as YYYY-MM-DD HH:MM",
                input.escape_debug()
            ))
        })?;
    within_years(naive.and_utc(), input)?;
    match zone.from_local_datetime(&naive) {
        // The bound is on the instant: near it, the wall clock and UTC may
        // be in different years, and the time shown must read back.
        LocalResult::Single(t) => within_years(t.with_timezone(&Utc), input),
        LocalResult::None => Err(Error::InvalidTime(skipped(naive, zone))),
        LocalResult::Ambiguous(first, second) => Err(Error::InvalidTime(repeated(
            naive,
            zone,
            first.fixed_offset(),
            second.fixed_offset(),
        ))),
    }
}

/// Years a live update can plausibly be shown at. Bounding them keeps
/// offset arithmetic far from chrono's limits (no overflow on any input).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

fn within_years(t: DateTime<Utc>, input: &str) -> Result<DateTime<Utc>> {
    use chrono::Datelike;
    if YEARS.contains(&t.year()) {
        Ok(t)
    } else {
        Err(Error::InvalidTime(format!(
            "the time '{}' is outside the years {} to {} (UTC)",
            input.escape_debug(),
            YEARS.start(),
            YEARS.end()
        )))
    }
}

/// The message for a local time the zone skips. Gaps are not all daylight
/// saving's hour: Lord Howe's is 30 minutes, and Pacific/Apia skipped the
/// whole of 2011-12-30 when it crossed the date line. So the message gives
/// the gap's real edges and length, and the offsets in force on each side.
fn skipped(naive: NaiveDateTime, zone: Tz) -> String {
    let change = Change::around(naive, zone);
    let with = |offset: FixedOffset| {
        rfc3339(
            &offset
                .from_local_datetime(&naive)
                .single()
                .expect("a fixed offset has no gaps"),
        )
    };
    format!(
        "{} does not exist in {zone}: the clocks jump forward {} there, from {} to {} ({}); \
         give the time with an explicit UTC offset: {} (the offset before the change) or {} (after it)",
        naive.format("%Y-%m-%d %H:%M"),
        length(change.after.local_minus_utc() - change.before.local_minus_utc()),
        change.at.with_timezone(&change.before).format("%Y-%m-%d %H:%M"),
        change.at.with_timezone(&change.after).format("%Y-%m-%d %H:%M"),
        change.cause,
        with(change.before),
        with(change.after),
    )
}

/// The message for a local time the zone repeats, naming both instants.
fn repeated(
    naive: NaiveDateTime,
    zone: Tz,
    first: DateTime<FixedOffset>,
    second: DateTime<FixedOffset>,
) -> String {
    let cause = Change::cause(zone, first.with_timezone(&Utc), second.with_timezone(&Utc));
    format!(
        "{} happens twice in {zone}: the clocks go back {} there ({cause}); \
         give the time with an explicit UTC offset: {} (first) or {} (second)",
        naive.format("%Y-%m-%d %H:%M"),
        length(first.offset().local_minus_utc() - second.offset().local_minus_utc()),
        rfc3339(&first),
        rfc3339(&second),
    )
}

/// A change of a zone's UTC offset: when, from what, to what, and why.
struct Change {
    at: DateTime<Utc>,
    before: FixedOffset,
    after: FixedOffset,
    cause: &'static str,
}

impl Change {
    /// The change that makes `naive` a skipped local time in `zone`.
    fn around(naive: NaiveDateTime, zone: Tz) -> Change {
        // The change happens at an instant T with T + before <= naive <
        // T + after. Offsets are within 15 hours of UTC, so T is within 16
        // hours of `naive` read as UTC; the wall clock is below `naive`
        // before T and past it from T on, so bisect to the second.
        let offset_at = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc()).fix();
        let wall = |t: DateTime<Utc>| t.with_timezone(&offset_at(t)).naive_local();
        let utc = naive.and_utc();
        let (mut lo, mut hi) = (utc - Duration::hours(16), utc + Duration::hours(16));
        while hi - lo > Duration::seconds(1) {
            let mid = lo + (hi - lo) / 2;
            if wall(mid) <= naive {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Change {
            at: hi,
            before: offset_at(lo),
            after: offset_at(hi),
            cause: Change::cause(zone, lo, hi),
        }
    }

    /// Daylight saving is only the common case; other changes are called
    /// what they are.
    fn cause(zone: Tz, before: DateTime<Utc>, after: DateTime<Utc>) -> &'static str {
        use chrono_tz::OffsetComponents;
        let parts = |t: DateTime<Utc>| {
            let o = zone.offset_from_utc_datetime(&t.naive_utc());
            (o.base_utc_offset(), o.dst_offset())
        };
        let ((base_before, dst_before), (base_after, dst_after)) = (parts(before), parts(after));
        let zero = Duration::zero();
        if base_before != base_after {
            "the zone changes its standard time"
        } else if dst_before == zero && dst_after > zero {
            "daylight saving starts"
        } else if dst_before > zero && dst_after == zero {
            "daylight saving ends"
        } else {
            "the zone changes its offset"
        }
    }
}

/// A length of clock change in words: "1 hour", "30 minutes", "24 hours".
fn length(seconds: i32) -> String {
    let minutes = seconds.unsigned_abs().div_ceil(60);
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let unit = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (hours, minutes) {
        (0, m) => unit(m, "minute", "minutes"),
        (h, 0) => unit(h, "hour", "hours"),
        (h, m) => format!(
            "{} {}",
            unit(h, "hour", "hours"),
            unit(m, "minute", "minutes")
        ),
    }
}

/// An instant as the blog's readers see it: in the blog's zone, with offset.
pub fn in_zone(t: DateTime<Utc>, zone: Tz) -> DateTime<FixedOffset> {
    t.with_timezone(&zone).fixed_offset()
}

/// RFC 3339 with the offset, whole seconds unless the instant has a fraction.
///
/// RFC 3339 offsets are whole minutes, but a few zones' were not before
/// 1973 (Dublin's -00:25:21 until 1916, Monrovia's -00:44:30 until 1972).
/// Such a time is written with the nearest whole-minute offset, its clock
/// time moved by the seconds that differ, so that the text still names
/// the same instant (chrono would round the offset alone and be off by up
/// to 30 seconds).
pub fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    let seconds = t.offset().local_minus_utc();
    if seconds % 60 == 0 {
        return t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    }
    let minutes = (seconds + 30).div_euclid(60);
    let whole = FixedOffset::east_opt(minutes * 60).expect("an offset under a day");
    t.with_timezone(&whole)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

pub fn to_millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

/// The current instant, truncated to milliseconds (what the store keeps), so
/// a value read back equals the value written.
pub fn now() -> DateTime<Utc> {
    from_millis(Utc::now().timestamp_millis())
}

/// Serde helpers: times cross every boundary as RFC 3339 strings with offset.
pub mod serde_rfc3339 {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use chrono::{DateTime, FixedOffset};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<FixedOffset>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&crate::time::rfc3339(t)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| DateTime::parse_from_rfc3339(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Tz {
        parse_zone(name).unwrap()
    }

    fn local(input: &str, z: &str) -> Result<String> {
        parse_time(input, zone(z), Utc::now()).map(|t| rfc3339(&in_zone(t, zone(z))))
    }

    /// The message refusing `input` in zone `z`.
    fn refusal(input: &str, z: &str) -> String {
        local(input, z).unwrap_err().to_string()
    }

    #[test]
    fn rfc3339_with_offset_is_taken_as_given() {
        let t = parse_time(
            "2026-03-29T01:30:00+01:00",
            zone("Europe/London"),
            Utc::now(),
        )
        .unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-29T00:30:00+00:00");
        let z = parse_time("2026-07-01T12:00:00Z", zone("Asia/Kolkata"), Utc::now()).unwrap();
        assert_eq!(
            rfc3339(&in_zone(z, zone("Asia/Kolkata"))),
            "2026-07-01T17:30:00+05:30"
        );
    }

    #[test]
    fn local_times_are_read_in_the_blog_zone_with_its_offset() {
        assert_eq!(
            local("2026-01-15 09:00", "Europe/London").unwrap(),
            "2026-01-15T09:00:00+00:00"
        );
        assert_eq!(
            local("2026-07-15 09:00", "Europe/London").unwrap(),
            "2026-07-15T09:00:00+01:00"
        );
        assert_eq!(
            local("2026-07-15T09:00", "America/New_York").unwrap(),
            "2026-07-15T09:00:00-04:00"
        );
        assert_eq!(
            local("2026-01-15 09:00:30", "America/New_York").unwrap(),
            "2026-01-15T09:00:30-05:00"
        );
        assert_eq!(
            local("2026-03-08 12:00", "Asia/Kolkata").unwrap(),
            "2026-03-08T12:00:00+05:30"
        );
    }

    #[test]
    fn spring_forward_gaps_are_refused_with_a_way_out() {
        // London skips 01:00-02:00 on 2026-03-29; New York skips 02:00-03:00 on 2026-03-08.
        for (input, z) in [
            ("2026-03-29 01:30", "Europe/London"),
            ("2026-03-08 02:15", "America/New_York"),
        ] {
            let err = local(input, z).unwrap_err();
            assert_eq!(err.code(), "invalid_time");
            let msg = err.to_string();
            assert!(
                msg.contains("does not exist") && msg.contains(z) && msg.contains("offset"),
                "{msg}"
            );
        }
        // The edges of the gap are fine.
        assert_eq!(
            local("2026-03-29 00:59", "Europe/London").unwrap(),
            "2026-03-29T00:59:00+00:00"
        );
        assert_eq!(
            local("2026-03-29 02:00", "Europe/London").unwrap(),
            "2026-03-29T02:00:00+01:00"
        );
        assert_eq!(
            local("2026-03-08 03:00", "America/New_York").unwrap(),
            "2026-03-08T03:00:00-04:00"
        );
    }

    #[test]
    fn gaps_are_described_by_their_real_edges_length_and_cause() {
        // Pacific/Apia crossed the date line: 2011-12-30 never happened.
        let msg = refusal("2011-12-30 10:00", "Pacific/Apia");
        assert!(msg.contains("jump forward 24 hours"), "{msg}");
        assert!(
            msg.contains("from 2011-12-30 00:00 to 2011-12-31 00:00"),
            "{msg}"
        );
        assert!(msg.contains("changes its standard time"), "{msg}");
        assert!(!msg.contains("daylight saving"), "{msg}");
        assert!(
            msg.contains("2011-12-30T10:00:00-10:00") && msg.contains("2011-12-30T10:00:00+14:00"),
            "{msg}"
        );
        // Lord Howe Island's daylight saving is half an hour.
        let msg = refusal("2026-10-04 02:15", "Australia/Lord_Howe");
        assert!(msg.contains("jump forward 30 minutes"), "{msg}");
        assert!(
            msg.contains("from 2026-10-04 02:00 to 2026-10-04 02:30"),
            "{msg}"
        );
        assert!(msg.contains("daylight saving starts"), "{msg}");
        assert!(msg.contains("+10:30") && msg.contains("+11:00"), "{msg}");
        // London's is the common case, still said plainly.
        let msg = refusal("2026-03-29 01:30", "Europe/London");
        assert!(
            msg.contains("jump forward 1 hour there, from 2026-03-29 01:00 to 2026-03-29 02:00"),
            "{msg}"
        );
        assert!(msg.contains("(daylight saving starts)"), "{msg}");
        // Every suggested time is accepted and means a real instant.
        for (input, z) in [
            ("2011-12-30 10:00", "Pacific/Apia"),
            ("2026-10-04 02:15", "Australia/Lord_Howe"),
            ("2026-03-29 01:30", "Europe/London"),
        ] {
            let msg = refusal(input, z);
            let suggested: Vec<&str> = msg
                .split(|c: char| c.is_whitespace())
                .filter(|w| w.len() >= 25 && w.as_bytes()[4] == b'-' && w.contains('T'))
                .collect();
            assert_eq!(suggested.len(), 2, "{msg}");
            for s in suggested {
                parse_time(s, zone(z), Utc::now()).unwrap();
            }
        }
    }

    #[test]
    fn repeats_and_offset_changes_say_how_long_and_why() {
        let msg = refusal("2026-04-05 01:45", "Australia/Lord_Howe");
        assert!(msg.contains("go back 30 minutes"), "{msg}");
        assert!(msg.contains("daylight saving ends"), "{msg}");
        let msg = refusal("2026-10-25 01:30", "Europe/London");
        assert!(
            msg.contains("go back 1 hour there (daylight saving ends)"),
            "{msg}"
        );
        // Morocco's Ramadan change is not daylight saving starting or ending.
        let msg = refusal("2026-02-15 02:30", "Africa/Casablanca");
        assert!(
            msg.contains("go back 1 hour there (the zone changes its offset)"),
            "{msg}"
        );
        let msg = refusal("2026-03-22 02:30", "Africa/Casablanca");
        assert!(
            msg.contains("from 2026-03-22 02:00 to 2026-03-22 03:00 (the zone changes its offset)"),
            "{msg}"
        );
        assert!(
            msg.contains("2026-03-22T02:30:00+00:00") && msg.contains("2026-03-22T02:30:00+01:00"),
            "{msg}"
        );
    }

    #[test]
    fn fall_back_ambiguity_is_refused_naming_both_instants() {
        let err = local("2026-10-25 01:30", "Europe/London").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("happens twice"), "{msg}");
        assert!(
            msg.contains("2026-10-25T01:30:00+01:00") && msg.contains("2026-10-25T01:30:00+00:00"),
            "{msg}"
        );
        let err = local("2026-11-01 01:30", "America/New_York").unwrap_err();
        assert!(
            err.to_string().contains("2026-11-01T01:30:00-04:00"),
            "{err}"
        );
        // Both instants given explicitly are accepted and one hour apart.
        let first = parse_time(
            "2026-10-25T01:30:00+01:00",
            zone("Europe/London"),
            Utc::now(),
        )
        .unwrap();
        let second = parse_time(
            "2026-10-25T01:30:00+00:00",
            zone("Europe/London"),
            Utc::now(),
        )
        .unwrap();
        assert_eq!((second - first).num_minutes(), 60);
        assert_eq!(
            local("2026-10-25 02:00", "Europe/London").unwrap(),
            "2026-10-25T02:00:00+00:00"
        );
    }

    #[test]
    fn half_hour_zone_has_no_dst_and_keeps_its_offset() {
        for day in ["2026-03-29", "2026-10-25", "2026-03-08", "2026-11-01"] {
            let shown = local(&format!("{day} 01:30"), "Asia/Kolkata").unwrap();
            assert_eq!(shown, format!("{day}T01:30:00+05:30"));
        }
    }

    #[test]
    fn nonsense_and_unknown_zones_are_clear_errors() {
        let err = local("yesterday-ish", "Europe/London").unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot read the time 'yesterday-ish'"),
            "{err}"
        );
        assert!(local("2026-02-30 10:00", "Europe/London").is_err());
        let err = parse_zone("Mars/Olympus").unwrap_err();
        assert!(err.to_string().contains("unknown time zone 'Mars/Olympus'"));
    }

    #[test]
    fn extreme_years_are_refused_not_overflowed() {
        for input in [
            "-262144-01-01 00:00",
            "+262143-12-31 23:59",
            "9999-12-31 23:59",
            "1000-01-01 00:00",
            "0001-01-01T00:00:00+14:00",
        ] {
            for z in ["Asia/Kolkata", "America/New_York", "Pacific/Kiritimati"] {
                let err = parse_time(input, zone(z), Utc::now()).unwrap_err();
                assert_eq!(err.code(), "invalid_time", "{input} in {z}");
            }
        }
        assert!(local("2200-06-01 12:00", "Europe/London").is_ok());
    }

    #[test]
    fn now_is_accepted_and_millis_round_trip() {
        let n = now();
        assert_eq!(parse_time("now", Tz::UTC, n).unwrap(), n);
        assert_eq!(from_millis(to_millis(n)), n);
    }
}
