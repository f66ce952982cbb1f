//! Time: instants are stored in UTC (milliseconds since the Unix epoch) and
//! shown in the blog's IANA zone with its offset. Local input is read in the
//! blog's zone; a local time that the zone skips or repeats is refused rather
//! than guessed, because a guessed hour is exactly the time-zone bug live
//! blogs are known for.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, SecondsFormat, TimeZone, Utc};
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
        LocalResult::None => Err(Error::InvalidTime(format!(
            "{} does not exist in {zone}: the clocks skip that hour (daylight saving starts); \
             give the time with an explicit UTC offset, e.g. {}",
            naive.format("%Y-%m-%d %H:%M"),
            gap_example(naive, zone)
        ))),
        LocalResult::Ambiguous(first, second) => Err(Error::InvalidTime(format!(
            "{} happens twice in {zone}: the clocks go back (daylight saving ends); \
             give the time with an explicit UTC offset: {} (first) or {} (second)",
            naive.format("%Y-%m-%d %H:%M"),
            rfc3339(&first.fixed_offset()),
            rfc3339(&second.fixed_offset()),
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

/// For a skipped local time, show the same wall-clock time with the offset in
/// force just before the gap: a valid RFC 3339 instant the person can adapt.
fn gap_example(naive: NaiveDateTime, zone: Tz) -> String {
    // Years are bounded (see YEARS), so this cannot overflow.
    let before = naive - chrono::Duration::hours(3);
    let offset = match zone.from_local_datetime(&before) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => *t.fixed_offset().offset(),
        LocalResult::None => FixedOffset::east_opt(0).expect("zero offset"),
    };
    let t = offset
        .from_local_datetime(&naive)
        .single()
        .expect("a fixed offset has no gaps");
    rfc3339(&t)
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
