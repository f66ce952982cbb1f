//! Fuzzing photo import (`Store::add_photo_detached`: read, inspect,
//! decode, render, store) with mutated real photos.
//!
//! Seeds: photos of ../shared/photos (cups.jpg progressive, boats.jpg with
//! EXIF and GPS, forest-orient6.jpg with orientation 6, kay-portrait.png,
//! wood.webp), small copies made from them at test time that carry real
//! EXIF (a baseline and a progressive JPEG, a PNG with an eXIf chunk, a
//! lossy WebP with VP8X and EXIF chunks, a lossless WebP) so that most
//! cases cost milliseconds, and every file of tests/fuzz/corpus/photos/.
//!
//! Mutations: bit flips, byte writes, insertions, deletions, truncations,
//! copied ranges, and edits that know the formats: dimensions (JPEG SOF,
//! PNG IHDR with or without a fixed CRC, WebP VP8X/VP8/VP8L headers) set
//! huge, zero or off by one; JPEG segment lengths, PNG chunk lengths and
//! RIFF chunk sizes; PNG chunk CRCs; JPEG marker bytes; EXIF orientation,
//! IFD offsets, entry counts and value offsets.
//!
//! The promise: every import returns `Ok` (a photo whose renditions exist,
//! are JPEG or WebP, never larger than the image and never past 2048 wide)
//! or `invalid_input` with a one-line message naming the file, and a
//! refusal changes neither the database nor the media folder. No panic, no
//! hang (watchdog), and bounded memory: the whole property runs in a child
//! process whose address space is capped by `RLIMIT_AS` (see
//! [`ADDRESS_SPACE`]), so an unbounded allocation fails the test (the
//! child aborts) instead of swapping. The child reports its peak RSS.
//!
//! Cases (defaults; see support.rs): 1,000 mutated imports, plus the
//! corpus. About 30 s in a debug build on 2 cores (most of it in the
//! cases that render a full-size photo).
//!
//! `LIVELINE_FUZZ_RECORD=DIR` saves one input per distinct outcome into
//! DIR, to grow the corpus from a long run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use liveline::model::{NewBlog, NewEntry};
use liveline::photos::pipeline::{MAX_PIXELS, WIDTHS};
use liveline::photos::PhotoText;
use liveline::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[path = "fuzz/support.rs"]
mod support;

const TEST: &str = "mutated_photos_import_or_refuse";

/// The child's address space: 4 GiB. The largest buffers a hostile header
/// may legitimately get are bounded by MAX_PIXELS (100 MP): a 16-bit RGBA
/// PNG's 800 MB (the image crate's `max_alloc`), an 8-bit copy of it
/// (400 MB), or a progressive JPEG's coefficients (about 300 MB), on top of
/// a baseline of a few hundred MB of mappings (test binary, thread stacks,
/// malloc arenas). A length field believed without a bound asks for far
/// more (4 GB and up) and fails here.
const ADDRESS_SPACE: u64 = 4 << 30;

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/photos")
        .join(name)
}

// ---------------------------------------------------------------------------
// Formats, just enough to find what to break
// ---------------------------------------------------------------------------

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// JPEG marker segments before the scan: (offset of the 0xFF, marker).
fn jpeg_segments(b: &[u8]) -> Vec<(usize, u8)> {
    let mut out = Vec::new();
    let mut at = 2;
    while at + 4 <= b.len() && b[at] == 0xFF {
        let marker = b[at + 1];
        out.push((at, marker));
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([b[at + 2], b[at + 3]]));
        at += 2 + len;
    }
    out
}

/// PNG chunks: (offset of the length field, type).
fn png_chunks(b: &[u8]) -> Vec<(usize, [u8; 4])> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 12 <= b.len() {
        let len = u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize;
        out.push((at, b[at + 4..at + 8].try_into().unwrap()));
        at = match at.checked_add(12 + len) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

/// RIFF chunks of a WebP: (offset of the FourCC, FourCC).
fn riff_chunks(b: &[u8]) -> Vec<(usize, [u8; 4])> {
    let mut out = Vec::new();
    let mut at = 12;
    while at + 8 <= b.len() {
        let size = u32::from_le_bytes(b[at + 4..at + 8].try_into().unwrap()) as usize;
        out.push((at, b[at..at + 4].try_into().unwrap()));
        at = match at.checked_add(8 + size + (size & 1)) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

fn fix_png_crc(b: &mut [u8], at: usize) {
    let len = u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let end = at + 8 + len;
    if end + 4 <= b.len() {
        let crc = crc32(&b[at + 4..end]);
        b[end..end + 4].copy_from_slice(&crc.to_be_bytes());
    }
}

/// Where the TIFF header of the EXIF data starts, in any of the three formats.
fn tiff_start(b: &[u8]) -> Option<usize> {
    if b.starts_with(&[0xFF, 0xD8]) {
        return jpeg_segments(b).into_iter().find_map(|(at, marker)| {
            (marker == 0xE1 && b.get(at + 4..at + 10) == Some(b"Exif\0\0")).then_some(at + 10)
        });
    }
    if b.starts_with(b"\x89PNG") {
        return png_chunks(b)
            .into_iter()
            .find_map(|(at, kind)| (&kind == b"eXIf").then_some(at + 8));
    }
    riff_chunks(b).into_iter().find_map(|(at, kind)| {
        (&kind == b"EXIF").then(|| {
            let data = at + 8;
            if b.get(data..data + 6) == Some(b"Exif\0\0") {
                data + 6
            } else {
                data
            }
        })
    })
}

struct Tiff {
    start: usize,
    little: bool,
}

impl Tiff {
    fn find(b: &[u8]) -> Option<Tiff> {
        let start = tiff_start(b)?;
        let little = match b.get(start..start + 2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        Some(Tiff { start, little })
    }

    fn u16_at(&self, b: &[u8], at: usize) -> Option<u16> {
        let raw: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.little {
            u16::from_le_bytes(raw)
        } else {
            u16::from_be_bytes(raw)
        })
    }

    fn u32_at(&self, b: &[u8], at: usize) -> Option<u32> {
        let raw: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.little {
            u32::from_le_bytes(raw)
        } else {
            u32::from_be_bytes(raw)
        })
    }

    fn put_u16(&self, b: &mut [u8], at: usize, v: u16) {
        let raw = if self.little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        };
        if let Some(dst) = b.get_mut(at..at + 2) {
            dst.copy_from_slice(&raw);
        }
    }

    fn put_u32(&self, b: &mut [u8], at: usize, v: u32) {
        let raw = if self.little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        };
        if let Some(dst) = b.get_mut(at..at + 4) {
            dst.copy_from_slice(&raw);
        }
    }

    /// Offset (in the file) of IFD0 and its entry count.
    fn ifd0(&self, b: &[u8]) -> Option<(usize, u16)> {
        let at = self.start + self.u32_at(b, self.start + 4)? as usize;
        Some((at, self.u16_at(b, at)?))
    }

    /// File offset of IFD0's entry with `tag`.
    fn entry(&self, b: &[u8], tag: u16) -> Option<usize> {
        let (ifd, count) = self.ifd0(b)?;
        (0..usize::from(count).min(200))
            .map(|i| ifd + 2 + 12 * i)
            .find(|&e| self.u16_at(b, e) == Some(tag))
    }
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// A dimension to write into a header: extremes, limits, or a neighbour of
/// what was there.
#[derive(Debug, Clone, Copy)]
enum Dim {
    Value(u32),
    Plus(i8),
}

impl Dim {
    fn resolve(self, old: u32) -> u32 {
        match self {
            Dim::Value(v) => v,
            Dim::Plus(d) => old.saturating_add_signed(i32::from(d)),
        }
    }
}

fn dim() -> impl Strategy<Value = Dim> {
    prop_oneof![
        3 => prop::sample::select(
            &[0u32, 1, 2, 8, 255, 4096, 10_000, 10_001, 16_383, 16_384, 65_535, 65_536, 100_000, 1 << 24, u32::MAX][..]
        )
        .prop_map(Dim::Value),
        1 => (1u32..20_000).prop_map(Dim::Value),
        2 => (-2i8..=2).prop_map(Dim::Plus),
    ]
}

/// A 32-bit number to write over an offset, length or size field.
fn garbage() -> impl Strategy<Value = u32> {
    prop_oneof![
        prop::sample::select(
            &[
                0u32,
                1,
                2,
                3,
                7,
                8,
                12,
                0xFF,
                0xFFFF,
                0x7FFF_FFFF,
                0xFFFF_FFF0,
                u32::MAX
            ][..]
        ),
        any::<u32>(),
        0u32..2_000,
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipBit {
        at: u32,
        bit: u8,
    },
    SetByte {
        at: u32,
        value: u8,
    },
    Insert {
        at: u32,
        bytes: Vec<u8>,
    },
    Delete {
        at: u32,
        len: u16,
    },
    /// Keep this fraction (of u32::MAX) of the file.
    Truncate {
        keep: u32,
    },
    CopyRange {
        from: u32,
        to: u32,
        len: u16,
    },
    Dimensions {
        width: Dim,
        height: Dim,
        fix_crc: bool,
    },
    /// JPEG segment length, PNG chunk length or RIFF chunk size of the
    /// `which`th segment or chunk.
    Length {
        which: u8,
        value: u32,
    },
    PngCrc {
        which: u8,
        xor: u32,
    },
    JpegMarker {
        which: u8,
        marker: u8,
    },
    ExifOrientation(u16),
    /// 0: IFD0 offset, 1: IFD0 entry count, 2: an entry's value offset,
    /// 3: the next-IFD offset, 4: an entry's type, 5: an entry's count.
    Exif {
        field: u8,
        entry: u8,
        value: u32,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<u32>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        2 => (any::<u32>(), any::<u8>()).prop_map(|(at, value)| Mutation::SetByte { at, value }),
        1 => (any::<u32>(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        1 => (any::<u32>(), 1u16..512).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => any::<u32>().prop_map(|keep| Mutation::Truncate { keep }),
        1 => (any::<u32>(), any::<u32>(), 1u16..4096)
            .prop_map(|(from, to, len)| Mutation::CopyRange { from, to, len }),
        4 => (dim(), dim(), prop::bool::weighted(0.8))
            .prop_map(|(width, height, fix_crc)| Mutation::Dimensions { width, height, fix_crc }),
        2 => (any::<u8>(), garbage()).prop_map(|(which, value)| Mutation::Length { which, value }),
        1 => (any::<u8>(), any::<u32>()).prop_map(|(which, xor)| Mutation::PngCrc { which, xor: xor | 1 }),
        1 => (any::<u8>(), prop::sample::select(
            &[0xC0u8, 0xC1, 0xC2, 0xC3, 0xC5, 0xC9, 0xCF, 0xC4, 0xDB, 0xDD, 0xDA, 0xD9, 0xD8, 0xE1, 0xEE, 0xFE, 0x00, 0xFF][..]
        ))
            .prop_map(|(which, marker)| Mutation::JpegMarker { which, marker }),
        2 => prop_oneof![0u16..=9, Just(0xFFFF), any::<u16>()].prop_map(Mutation::ExifOrientation),
        3 => (0u8..6, any::<u8>(), garbage())
            .prop_map(|(field, entry, value)| Mutation::Exif { field, entry, value }),
    ]
}

fn position(at: u32, len: usize) -> usize {
    if len == 0 {
        0
    } else {
        (u64::from(at) * len as u64 / (u64::from(u32::MAX) + 1)) as usize
    }
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len();
    match *m {
        Mutation::FlipBit { at, bit } => {
            if len > 0 {
                bytes[position(at, len)] ^= 1 << bit;
            }
        }
        Mutation::SetByte { at, value } => {
            if len > 0 {
                bytes[position(at, len)] = value;
            }
        }
        Mutation::Insert { at, bytes: ref new } => {
            let at = position(at, len + 1);
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::Delete { at, len: n } => {
            let at = position(at, len);
            let end = (at + usize::from(n)).min(len);
            bytes.drain(at..end);
        }
        Mutation::Truncate { keep } => bytes.truncate(position(keep, len + 1)),
        Mutation::CopyRange { from, to, len: n } => {
            if len > 0 {
                let from = position(from, len);
                let n = usize::from(n).min(len - from);
                let chunk = bytes[from..from + n].to_vec();
                let to = position(to, len);
                let end = (to + n).min(len);
                bytes[to..end].copy_from_slice(&chunk[..end - to]);
            }
        }
        Mutation::Dimensions {
            width,
            height,
            fix_crc,
        } => set_dimensions(bytes, width, height, fix_crc),
        Mutation::Length { which, value } => set_length(bytes, which, value),
        Mutation::PngCrc { which, xor } => {
            let chunks = png_chunks(bytes);
            if bytes.starts_with(b"\x89PNG") && !chunks.is_empty() {
                let (at, _) = chunks[usize::from(which) % chunks.len()];
                let l = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
                if let Some(crc) = bytes.get_mut(at + 8 + l..at + 12 + l) {
                    let v = u32::from_be_bytes(crc.try_into().unwrap()) ^ xor;
                    crc.copy_from_slice(&v.to_be_bytes());
                }
            }
        }
        Mutation::JpegMarker { which, marker } => {
            let segments = jpeg_segments(bytes);
            if bytes.starts_with(&[0xFF, 0xD8]) && !segments.is_empty() {
                let (at, _) = segments[usize::from(which) % segments.len()];
                bytes[at + 1] = marker;
            }
        }
        Mutation::ExifOrientation(v) => {
            if let Some(tiff) = Tiff::find(bytes) {
                if let Some(e) = tiff.entry(bytes, 0x0112) {
                    tiff.put_u16(bytes, e + 8, v);
                }
            }
        }
        Mutation::Exif {
            field,
            entry,
            value,
        } => {
            let Some(tiff) = Tiff::find(bytes) else {
                return;
            };
            match field {
                0 => tiff.put_u32(bytes, tiff.start + 4, value),
                1 => {
                    if let Some((ifd, _)) = tiff.ifd0(bytes) {
                        tiff.put_u16(bytes, ifd, value as u16);
                    }
                }
                _ => {
                    let Some((ifd, count)) = tiff.ifd0(bytes) else {
                        return;
                    };
                    if count == 0 {
                        return;
                    }
                    let e = ifd + 2 + 12 * (usize::from(entry) % usize::from(count).min(200));
                    match field {
                        2 => tiff.put_u32(bytes, e + 8, value),
                        3 => tiff.put_u32(bytes, ifd + 2 + 12 * usize::from(count), value),
                        4 => tiff.put_u16(bytes, e + 2, value as u16),
                        _ => tiff.put_u32(bytes, e + 4, value),
                    }
                }
            }
        }
    }
}

fn set_dimensions(b: &mut [u8], width: Dim, height: Dim, fix_crc: bool) {
    if b.starts_with(&[0xFF, 0xD8]) {
        let sof = jpeg_segments(b)
            .into_iter()
            .find(|&(_, m)| (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC));
        if let Some((at, _)) = sof {
            if at + 9 <= b.len() {
                let h = u32::from(u16::from_be_bytes([b[at + 5], b[at + 6]]));
                let w = u32::from(u16::from_be_bytes([b[at + 7], b[at + 8]]));
                let h = height.resolve(h).min(0xFFFF) as u16;
                let w = width.resolve(w).min(0xFFFF) as u16;
                b[at + 5..at + 7].copy_from_slice(&h.to_be_bytes());
                b[at + 7..at + 9].copy_from_slice(&w.to_be_bytes());
            }
        }
    } else if b.starts_with(b"\x89PNG") && b.len() >= 33 {
        let w = u32::from_be_bytes(b[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(b[20..24].try_into().unwrap());
        b[16..20].copy_from_slice(&width.resolve(w).to_be_bytes());
        b[20..24].copy_from_slice(&height.resolve(h).to_be_bytes());
        if fix_crc {
            fix_png_crc(b, 8);
        }
    } else {
        for (at, kind) in riff_chunks(b) {
            let data = at + 8;
            match &kind {
                b"VP8X" if data + 10 <= b.len() => {
                    let get = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], 0]) + 1;
                    let (w, h) = (get(data + 4), get(data + 7));
                    let w = width.resolve(w).clamp(1, 1 << 24) - 1;
                    let h = height.resolve(h).clamp(1, 1 << 24) - 1;
                    b[data + 4..data + 7].copy_from_slice(&w.to_le_bytes()[..3]);
                    b[data + 7..data + 10].copy_from_slice(&h.to_le_bytes()[..3]);
                }
                b"VP8 " if data + 10 <= b.len() => {
                    // Frame tag (3), start code (3), then 14-bit sizes.
                    let get = |o: usize| u32::from(u16::from_le_bytes([b[o], b[o + 1]]) & 0x3FFF);
                    let w = width.resolve(get(data + 6)).min(0x3FFF) as u16;
                    let h = height.resolve(get(data + 8)).min(0x3FFF) as u16;
                    let keep = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]) & 0xC000;
                    let (kw, kh) = (keep(data + 6), keep(data + 8));
                    b[data + 6..data + 8].copy_from_slice(&(w | kw).to_le_bytes());
                    b[data + 8..data + 10].copy_from_slice(&(h | kh).to_le_bytes());
                }
                b"VP8L" if data + 5 <= b.len() => {
                    let bits = u32::from_le_bytes(b[data + 1..data + 5].try_into().unwrap());
                    let w = (bits & 0x3FFF) + 1;
                    let h = ((bits >> 14) & 0x3FFF) + 1;
                    let w = width.resolve(w).clamp(1, 0x4000) - 1;
                    let h = height.resolve(h).clamp(1, 0x4000) - 1;
                    let bits = (bits & 0xF000_0000) | w | (h << 14);
                    b[data + 1..data + 5].copy_from_slice(&bits.to_le_bytes());
                }
                _ => {}
            }
        }
    }
}

fn set_length(b: &mut [u8], which: u8, value: u32) {
    if b.starts_with(&[0xFF, 0xD8]) {
        let segments: Vec<_> = jpeg_segments(b)
            .into_iter()
            .filter(|&(_, m)| m != 0xD9)
            .collect();
        if !segments.is_empty() {
            let (at, _) = segments[usize::from(which) % segments.len()];
            if at + 4 <= b.len() {
                b[at + 2..at + 4].copy_from_slice(&(value as u16).to_be_bytes());
            }
        }
    } else if b.starts_with(b"\x89PNG") {
        let chunks = png_chunks(b);
        if !chunks.is_empty() {
            let (at, _) = chunks[usize::from(which) % chunks.len()];
            b[at..at + 4].copy_from_slice(&value.to_be_bytes());
        }
    } else {
        let chunks = riff_chunks(b);
        // Which 0 is the RIFF size itself.
        if which == 0 && b.len() >= 8 {
            b[4..8].copy_from_slice(&value.to_le_bytes());
        } else if !chunks.is_empty() {
            let (at, _) = chunks[usize::from(which) % chunks.len()];
            b[at + 4..at + 8].copy_from_slice(&value.to_le_bytes());
        }
    }
}

// ---------------------------------------------------------------------------
// Seeds
// ---------------------------------------------------------------------------

struct Seed {
    name: String,
    bytes: Vec<u8>,
}

/// The EXIF (TIFF) data of a shared photo, and its whole APP1 segment.
fn exif_of(name: &str) -> (Vec<u8>, Vec<u8>) {
    let bytes = std::fs::read(shared(name)).unwrap();
    let (at, _) = jpeg_segments(&bytes)
        .into_iter()
        .find(|&(at, m)| m == 0xE1 && &bytes[at + 4..at + 10] == b"Exif\0\0")
        .expect("an EXIF segment");
    let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
    let segment = bytes[at..at + 2 + len].to_vec();
    let tiff = bytes[at + 10..at + 2 + len].to_vec();
    (tiff, segment)
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    chunk
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = kind.to_vec();
    chunk.extend_from_slice(&(data.len() as u32).to_le_bytes());
    chunk.extend_from_slice(data);
    if data.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}

fn seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    // The image crate is built without JPEG: jpeg-decoder reads cups.jpg.
    let cups = std::fs::read(shared("cups.jpg")).unwrap();
    let mut decoder = jpeg_decoder::Decoder::new(&cups[..]);
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let cups = image::RgbImage::from_raw(info.width.into(), info.height.into(), pixels).unwrap();
    let small = image::imageops::resize(&cups, 192, 120, image::imageops::FilterType::Triangle);
    let (boats_tiff, boats_app1) = exif_of("boats.jpg");
    let (_, forest_app1) = exif_of("forest-orient6.jpg");

    for (name, progressive, app1) in [
        ("small-exif.jpg", false, &boats_app1),
        ("small-progressive-orient6.jpg", true, &forest_app1),
    ] {
        let mut jpeg = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 85);
        encoder.set_progressive(progressive);
        encoder
            .encode(small.as_raw(), 192, 120, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        jpeg.splice(2..2, app1.iter().copied());
        seeds.push(Seed {
            name: name.into(),
            bytes: jpeg,
        });
    }

    // A PNG with transparency and an eXIf chunk (before IDAT).
    let kay = image::open(shared("kay-portrait.png"))
        .unwrap()
        .crop_imm(300, 600, 90, 160)
        .to_rgba8();
    let mut rgba = kay.clone();
    for (x, _, p) in rgba.enumerate_pixels_mut() {
        p[3] = (x * 3) as u8;
    }
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(rgba)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let idat = png_chunks(&png)
        .into_iter()
        .find(|(_, k)| k == b"IDAT")
        .unwrap()
        .0;
    png.splice(idat..idat, png_chunk(b"eXIf", &boats_tiff));
    seeds.push(Seed {
        name: "small-alpha-exif.png".into(),
        bytes: png,
    });

    // A lossy WebP (libwebp) in an extended container with EXIF.
    let lossy = webp::Encoder::from_rgb(small.as_raw(), 192, 120).encode(80.0);
    let vp8 = riff_chunks(&lossy)
        .into_iter()
        .find(|(_, k)| k == b"VP8 ")
        .unwrap()
        .0;
    let mut vp8x = vec![0x08, 0, 0, 0];
    vp8x.extend_from_slice(&(192u32 - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(120u32 - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend_from_slice(&lossy[vp8..]);
    body.extend(riff_chunk(b"EXIF", &boats_tiff));
    let mut webp = b"RIFF".to_vec();
    webp.extend_from_slice(&(body.len() as u32).to_le_bytes());
    webp.extend(body);
    seeds.push(Seed {
        name: "small-exif.webp".into(),
        bytes: webp,
    });

    // A lossless WebP (VP8L).
    let mut lossless = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut lossless)
        .encode(kay.as_raw(), 90, 160, image::ExtendedColorType::Rgba8)
        .unwrap();
    seeds.push(Seed {
        name: "small-lossless.webp".into(),
        bytes: lossless,
    });

    for name in [
        "cups.jpg",
        "boats.jpg",
        "forest-orient6.jpg",
        "kay-portrait.png",
        "wood.webp",
    ] {
        seeds.push(Seed {
            name: name.into(),
            bytes: std::fs::read(shared(name)).unwrap(),
        });
    }
    for (name, bytes) in support::corpus("photos") {
        seeds.push(Seed {
            name: format!("corpus/{name}"),
            bytes,
        });
    }
    seeds
}

/// Small seeds (the first five) most of the time; the real photos, whose
/// renders take a second, and the corpus less often.
fn seed_index(seeds: usize) -> impl Strategy<Value = usize> {
    prop_oneof![
        16 => 0usize..5,
        3 => 5usize..10,
        2 => 10usize..seeds,
    ]
}

// ---------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    entry: uuid::Uuid,
    /// Outcomes seen (Ok, or the error with its numbers blanked).
    outcomes: BTreeSet<String>,
    record: Option<PathBuf>,
    imported: u32,
    refused: u32,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("fuzz.db")).unwrap();
        store
            .create_blog(NewBlog {
                title: "Photo fuzz".into(),
                slug: Some("fuzz".into()),
                timezone: Some("UTC".into()),
                ..Default::default()
            })
            .unwrap();
        let entry = store
            .add_entry(
                "fuzz",
                NewEntry {
                    title: "Photos".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        let record = std::env::var_os("LIVELINE_FUZZ_RECORD").map(PathBuf::from);
        if let Some(dir) = &record {
            std::fs::create_dir_all(dir).unwrap();
        }
        Fixture {
            dir,
            store,
            entry,
            outcomes: BTreeSet::new(),
            record,
            imported: 0,
            refused: 0,
        }
    }

    fn state(&self) -> (i64, i64, BTreeSet<String>) {
        let conn = rusqlite::Connection::open(self.dir.path().join("fuzz.db")).unwrap();
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        let files = match std::fs::read_dir(self.dir.path().join("fuzz.media")) {
            // `.imports/` is the store's own bookkeeping (see media.rs).
            Ok(dir) => dir
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| !name.starts_with('.'))
                .collect(),
            Err(_) => BTreeSet::new(),
        };
        (count("photos"), count("media"), files)
    }

    /// Import `bytes` as a file named after `seed`; check the promise.
    fn import(&mut self, seed: &str, bytes: &[u8], what: &str) -> Result<(), TestCaseError> {
        let ext = Path::new(seed)
            .extension()
            .map_or("bin".into(), |e| e.to_string_lossy().into_owned());
        let path = self.dir.path().join(format!("case.{ext}"));
        std::fs::write(&path, bytes).unwrap();
        let _case = support::case(format!("import of {} ({what})", path.display()));
        let before = self.state();
        let text = PhotoText {
            credit: Some("Fuzz".into()),
            ..Default::default()
        };
        let result = self
            .store
            .add_photo_detached(self.entry, &path, text, &|_| {});
        let outcome = match &result {
            // Which EXIF survived tells damaged metadata apart.
            Ok(photo) => format!(
                "imported, {}, camera {}, time {}, location {}",
                if photo.width >= photo.height {
                    "landscape"
                } else {
                    "portrait"
                },
                photo.camera.is_some(),
                photo.taken_at.is_some(),
                photo.has_location
            ),
            Err(e) => e
                .to_string()
                .replace(&path.display().to_string(), "FILE")
                .replace(|c: char| c.is_ascii_digit(), "#")
                .chars()
                .take(90)
                .collect(),
        };
        if self.outcomes.insert(outcome.clone()) {
            if let Some(dir) = &self.record {
                let slug: String = outcome
                    .trim_start_matches("FILE: ")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .take(48)
                    .collect();
                let name = format!("{:03}-{slug}-{seed}", self.outcomes.len()).replace('/', "-");
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
        match result {
            Ok(photo) => {
                self.imported += 1;
                prop_assert!(photo.width > 0 && photo.height > 0);
                prop_assert!(u64::from(photo.width) * u64::from(photo.height) <= MAX_PIXELS);
                prop_assert!(!photo.renditions.is_empty());
                prop_assert!(!photo.placeholder.is_empty());
                for r in &photo.renditions {
                    prop_assert!(r.width <= photo.width && r.width <= WIDTHS[WIDTHS.len() - 1]);
                    let head = std::fs::read(&r.path).unwrap();
                    let magic_ok = match r.mime.as_str() {
                        "image/jpeg" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
                        "image/webp" => {
                            head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP")
                        }
                        _ => false,
                    };
                    prop_assert!(magic_ok, "{} is not a {}", r.path, r.mime);
                }
                let after = self.state();
                prop_assert_eq!(after.0, before.0 + 1, "one photo row more");
            }
            Err(e) => {
                self.refused += 1;
                let msg = e.to_string();
                prop_assert_eq!(e.code(), "invalid_input", "{} ({})", msg, what);
                prop_assert!(!msg.contains('\n'), "one line: {:?}", msg);
                prop_assert!(
                    msg.contains(&path.display().to_string()),
                    "names the file: {}",
                    msg
                );
                prop_assert_eq!(self.state(), before, "a refusal changed something: {}", msg);
            }
        }
        Ok(())
    }
}

#[test]
fn mutated_photos_import_or_refuse() {
    if !support::is_child(TEST) {
        let run = support::run_child(TEST, &[]);
        run.assert_passed("mutated photo imports");
        println!(
            "peak RSS of the fuzzing process: {:.0} MiB (address space capped at {} MiB)",
            run.peak_mib(),
            ADDRESS_SPACE >> 20
        );
        for line in run
            .stdout
            .lines()
            .filter_map(|l| l.find("photo fuzz:").map(|at| &l[at..]))
        {
            println!("{line}");
        }
        return;
    }
    support::limit_address_space(ADDRESS_SPACE);
    let seeds = seeds();
    let f = std::cell::RefCell::new(Fixture::new());

    // The corpus, every run.
    for seed in seeds.iter().filter(|s| s.name.starts_with("corpus/")) {
        if let Err(e) = f.borrow_mut().import(&seed.name, &seed.bytes, &seed.name) {
            panic!("{}: {e}", seed.name);
        }
    }

    let mut runner = TestRunner::new(Config {
        source_file: Some(file!()),
        test_name: Some(TEST),
        ..support::config(1_000)
    });
    let strategy = (
        seed_index(seeds.len()),
        prop::collection::vec(mutation(), 1..4),
    );
    let result = runner.run(&strategy, |(seed, mutations)| {
        let seed = &seeds[seed];
        let mut bytes = seed.bytes.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let what = format!("{} with {:?}", seed.name, mutations);
        f.borrow_mut().import(&seed.name, &bytes, &what)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let f = f.into_inner();
    println!(
        "photo fuzz: {} imported, {} refused, {} distinct outcomes; peak RSS {} KiB, peak virtual {} KiB",
        f.imported,
        f.refused,
        f.outcomes.len(),
        support::peak_rss_kib(),
        support::peak_virtual_kib()
    );
    for outcome in &f.outcomes {
        println!("photo fuzz: outcome: {outcome}");
    }
    assert!(f.imported > 0 && f.refused > 0, "both outcomes happen");
    support::report_peak();
}

/// The harness itself: under the cap, an allocation no image could need
/// (8 GiB) kills the child, and the parent sees a failure, not a pass.
#[test]
fn the_address_space_cap_turns_a_runaway_allocation_into_a_failure() {
    const TEST: &str = "the_address_space_cap_turns_a_runaway_allocation_into_a_failure";
    if support::is_child(TEST) {
        support::limit_address_space(ADDRESS_SPACE);
        let runaway = vec![1u8; 8 << 30];
        println!("allocated {} bytes", runaway.len());
        return;
    }
    let run = support::run_child(TEST, &[]);
    assert!(!run.status.success(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("memory allocation of 8589934592 bytes failed"),
        "{}",
        run.stderr
    );
}

/// The harness itself: a case that runs past the hang limit is reported
/// by name and fails the run.
#[test]
fn the_watchdog_turns_a_hang_into_a_failure() {
    const TEST: &str = "the_watchdog_turns_a_hang_into_a_failure";
    if support::is_child(TEST) {
        let _case = support::case("a case that never ends".to_string());
        std::thread::sleep(std::time::Duration::from_secs(30));
        return;
    }
    let run = support::run_child(TEST, &[("LIVELINE_FUZZ_HANG_SECS", "1")]);
    assert!(!run.status.success(), "{}", run.stdout);
    assert!(
        run.stderr.contains("HANG") && run.stderr.contains("a case that never ends"),
        "{}",
        run.stderr
    );
}
