//! Editorial position keys: byte strings whose byte order (SQLite's BLOB
//! order) is the editorial order. A move computes one new key between the
//! neighbours' keys, so it writes one row and never renumbers the blog.
//!
//! A key is an 8-byte big-endian *rank* followed by an optional *tail*:
//! - New entries and first publications go to the top, again and again. The
//!   rank makes that cheap: the new key is `rank(top) - 1` with no tail, so a
//!   blog of 100,000 updates still has 8-byte keys.
//! - A move between two neighbours takes the midpoint rank if there is room,
//!   else keeps the lower rank and grows a fractional tail (base-256 digits,
//!   never ending in 0x00, so a key between any two distinct keys always exists).
//!
//! Why not the `fractional_index` crate: version 2.0.2 grows a key by one byte
//! every 128 insertions at the top and panics (subtract overflow) when asked for
//! a key between two keys that start with 0x00, which is exactly what a moved
//! entry in a busy live blog produces.

use crate::error::{Error, Result};

const RANK_LEN: usize = 8;
const MIDDLE_RANK: u64 = 1 << 63;

/// The key of the first entry of an empty blog.
pub fn first() -> Vec<u8> {
    key(MIDDLE_RANK, &[])
}

/// A key strictly between `lower` and `upper` (either may be open).
/// Errors only if the inputs are not valid, ordered, distinct keys.
pub fn between(lower: Option<&[u8]>, upper: Option<&[u8]>) -> Result<Vec<u8>> {
    let bad = || {
        Error::invalid("corrupt editorial position keys: run `liveline entry move` on a neighbour or restore a backup")
    };
    let split = |k: &[u8]| -> Result<(u64, Vec<u8>)> {
        if k.len() < RANK_LEN || k.last() == Some(&0) && k.len() > RANK_LEN {
            return Err(bad());
        }
        let rank = u64::from_be_bytes(k[..RANK_LEN].try_into().expect("8 bytes"));
        Ok((rank, k[RANK_LEN..].to_vec()))
    };
    match (lower.map(split).transpose()?, upper.map(split).transpose()?) {
        (None, None) => Ok(first()),
        (None, Some((rank, _))) => {
            let rank = rank.checked_sub(1).ok_or_else(bad)?;
            Ok(key(rank, &[]))
        }
        (Some((rank, _)), None) => {
            let rank = rank.checked_add(1).ok_or_else(bad)?;
            Ok(key(rank, &[]))
        }
        (Some((lo, lo_tail)), Some((hi, hi_tail))) => {
            if (lo, &lo_tail) >= (hi, &hi_tail) {
                return Err(bad());
            }
            if hi - lo > 1 {
                Ok(key(lo + (hi - lo) / 2, &[]))
            } else if hi - lo == 1 {
                Ok(key(lo, &midpoint(&lo_tail, None)))
            } else {
                Ok(key(lo, &midpoint(&lo_tail, Some(&hi_tail))))
            }
        }
    }
}

fn key(rank: u64, tail: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(RANK_LEN + tail.len());
    k.extend_from_slice(&rank.to_be_bytes());
    k.extend_from_slice(tail);
    k
}

/// Digits strictly between fractions `0.a` and `0.b` (b = None means 1),
/// in base 256. Requires a < b and neither ending in 0x00.
fn midpoint(a: &[u8], b: Option<&[u8]>) -> Vec<u8> {
    if let Some(b) = b {
        // Skip the common prefix (a's missing digits count as zeros).
        let common = b
            .iter()
            .enumerate()
            .take_while(|(i, d)| a.get(*i).copied().unwrap_or(0) == **d)
            .count();
        if common > 0 {
            let mut out = b[..common].to_vec();
            out.extend(midpoint(a.get(common..).unwrap_or(&[]), Some(&b[common..])));
            return out;
        }
    }
    let da = u16::from(a.first().copied().unwrap_or(0));
    let db = b.map_or(256, |b| u16::from(b[0]));
    if db - da > 1 {
        return vec![((da + db) / 2) as u8];
    }
    match b {
        // b has more digits: its first digit alone is already below b and above a.
        Some(b) if b.len() > 1 => vec![b[0]],
        _ => {
            let mut out = vec![da as u8];
            out.extend(midpoint(a.get(1..).unwrap_or(&[]), None));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn top_insertions_keep_keys_short() {
        let mut top = first();
        for _ in 0..100_000 {
            let next = between(None, Some(&top)).unwrap();
            assert!(next < top);
            top = next;
        }
        assert_eq!(top.len(), 8);
    }

    #[test]
    fn repeated_moves_between_neighbours_stay_ordered() {
        // The crate's failure case: many top insertions, then moves between them.
        let mut keys = vec![first()];
        for _ in 0..300 {
            keys.insert(0, between(None, Some(&keys[0])).unwrap());
        }
        let (lo, hi) = (keys[0].clone(), keys[1].clone());
        let mut upper = hi.clone();
        for _ in 0..1_000 {
            let k = between(Some(&lo), Some(&upper)).unwrap();
            assert!(lo < k && k < upper);
            upper = k;
        }
    }

    #[test]
    fn invalid_or_unordered_bounds_are_an_error_not_a_panic() {
        let a = first();
        let b = between(Some(&a), None).unwrap();
        assert!(between(Some(&b), Some(&a)).is_err());
        assert!(between(Some(&a), Some(&a)).is_err());
        assert!(between(Some(&[1, 2]), None).is_err());
    }

    fn arb_key() -> impl Strategy<Value = Vec<u8>> {
        (any::<u64>(), proptest::collection::vec(any::<u8>(), 0..6)).prop_map(|(r, mut t)| {
            while t.last() == Some(&0) {
                t.pop();
            }
            key(r, &t)
        })
    }

    proptest! {
        #[test]
        fn between_is_strictly_between(a in arb_key(), b in arb_key()) {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let k = between(Some(&lo), Some(&hi)).unwrap();
            prop_assert!(lo < k && k < hi, "{lo:?} < {k:?} < {hi:?}");
            prop_assert_ne!(k.last(), Some(&0).filter(|_| k.len() > RANK_LEN));
        }
    }
}
