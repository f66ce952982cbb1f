//! The photo import pipeline: check an uploaded file cheaply ([`inspect`]),
//! then make the published renditions and a placeholder from it ([`render`]).
//!
//! This module is self-contained: it uses std and the image crates only, so
//! the store can call it from any thread and tests can run it on plain bytes.
//!
//! # What is published
//!
//! For each width in [`WIDTHS`] that fits in the upright image (never
//! upscaled; an image narrower than the smallest width gets one rendition at
//! its own width), a progressive JPEG at quality 82 (4:2:0) and a lossy WebP at
//! quality 80, largest first, plus a [ThumbHash](https://evanw.github.io/thumbhash/)
//! of the picture. Renditions are upright (the EXIF orientation is applied to
//! the pixels) and carry no metadata at all: the encoders are given pixels
//! only, so no EXIF, XMP, ICC, GPS, camera, time or name can leak through.
//!
//! # Colour
//!
//! Renditions are sRGB without an embedded profile, which is what browsers
//! assume. A source with an embedded RGB ICC profile is converted to sRGB
//! with `qcms` (perceptual intent); a source without one is taken to be sRGB
//! already. A CMYK JPEG goes through its own CMYK profile, or the naive
//! formula when it has none. Known limits: PNG `gAMA`/`cHRM`/`cICP` chunks
//! without an `iCCP` profile are ignored, as are greyscale profiles. 16-bit
//! PNGs are reduced to 8 bits. Transparent PNG/WebP sources keep their alpha
//! in the WebP renditions and are flattened onto white for the JPEG ones. An
//! animated WebP or PNG is published as its first frame.
//!
//! # Speed
//!
//! An import of a 14.7 MP JPEG must cost about as much as one `vipsthumbnail`
//! call, not one per rendition, so the work is done once and shared:
//!
//! - the source is decoded once; a JPEG is decoded with DCT-domain scaling
//!   (1/2, 1/4 or 1/8) straight to the smallest size that still covers the
//!   largest rendition, which saves the IDCT, colour conversion and memory of
//!   pixels that would be thrown away;
//! - each smaller size is resized (Lanczos3, SIMD) from the next larger one,
//!   so every step shrinks by less than 2x and touches few pixels;
//! - the orientation and the colour conversion are applied to the largest
//!   rendition rather than to the full-size source;
//! - the ten encodes run in parallel on rayon's pool, and start as soon as
//!   their size is ready while the smaller sizes are still being resized;
//! - WebP uses libwebp's method 2 rather than the default 4: the same
//!   quality 80, files a few percent larger, encodes 2.5x faster.
//!
//! # Safety of untrusted input
//!
//! [`inspect`] reads headers only and refuses a file over [`MAX_FILE_BYTES`]
//! or an image over [`MAX_PIXELS`] before any pixel buffer exists, so a
//! decompression bomb never reaches a decoder. JPEG headers are read by
//! `jpeg-decoder` (Rust), and colour or grey JPEG pixels decoded by
//! libjpeg-turbo (C, `libjpeg.rs`, whose errors unwind into Rust); CMYK
//! JPEGs, PNG and WebP by Rust crates (`jpeg-decoder`, `png`,
//! `image-webp`). All of them are fuzzed with mutated photos
//! (`tests/fuzz_photos.rs`). libwebp (C, 1.3.1 as
//! vendored by the `webp` crate) only ever encodes our own pixels: its
//! decoder in that version has a known heap overflow (CVE-2023-4863), so it
//! must never be given an upload. Both entry points turn a panic inside a
//! decoder or encoder into an `Err`, so no input can bring the caller down.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use base64::Engine as _;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use fast_image_resize as fir;
use image::ImageDecoder as _;

/// The largest upload accepted, in bytes.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;
/// The largest image accepted, in pixels (width x height as stored).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The rendition widths, smallest first. Renditions are made largest first.
pub const WIDTHS: [u32; 5] = [320, 640, 1024, 1600, 2048];

/// JPEG rendition quality (libjpeg scale).
const JPEG_QUALITY: u8 = 82;
/// WebP rendition quality (libwebp scale).
const WEBP_QUALITY: f32 = 80.0;
/// libwebp's effort, 0 (fastest) to 6 (smallest). On boats.jpg at 2048 wide,
/// 4 (the default) takes 2.5x as long as 2 for a file 2.5% smaller, and 0
/// makes it 30% larger; an import waits on the largest WebP, so 2 it is.
const WEBP_METHOD: i32 = 2;
/// libwebp cannot encode a side longer than this.
const MAX_RENDITION_SIDE: u32 = 16_383;
/// The ThumbHash algorithm takes images of at most 100x100.
const THUMBHASH_MAX_SIDE: u32 = 100;

/// The image formats accepted for import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

/// A position from the EXIF GPS fields, in decimal degrees (south and west
/// negative) and metres above sea level.
#[derive(Debug, Clone, PartialEq)]
pub struct Gps {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude: Option<f64>,
}

/// The EXIF fields the newsroom cares about. They are read for the editor's
/// eyes only and never written into a rendition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exif {
    /// 1..=8; 1 when absent or invalid.
    pub orientation: u16,
    /// DateTimeOriginal with OffsetTimeOriginal.
    pub taken_at: Option<DateTime<FixedOffset>>,
    /// DateTimeOriginal when no offset is recorded.
    pub taken_at_local: Option<NaiveDateTime>,
    /// Make and model, without repeating the make ("Canon EOS 5D Mark III").
    pub camera: Option<String>,
    pub gps: Option<Gps>,
    pub artist: Option<String>,
    pub copyright: Option<String>,
}

/// What [`inspect`] learnt from a file's headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspected {
    pub format: Format,
    pub stored_width: u32,
    pub stored_height: u32,
    /// Upright size: orientations 5..=8 swap width and height.
    pub width: u32,
    pub height: u32,
    pub exif: Exif,
    /// The XMP packet records a GPS position. Some editors and phones
    /// write it there only, not in EXIF.
    pub location_in_xmp: bool,
}

impl Inspected {
    /// Whether the original records where it was taken, in EXIF or XMP.
    pub fn has_location(&self) -> bool {
        self.exif.gps.is_some() || self.location_in_xmp
    }
}

/// One encoded rendition.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Everything [`render`] makes from one image.
pub struct Rendered {
    /// Largest first; for each width the JPEG, then the WebP.
    pub renditions: Vec<Encoded>,
    /// Standard base64 of the ThumbHash bytes.
    pub thumbhash: String,
}

/// Progress reported by [`render`], possibly from several threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Decoded,
    Resized { width: u32 },
    Encoded { width: u32, mime: &'static str },
}

// ---------------------------------------------------------------------------
// inspect
// ---------------------------------------------------------------------------

/// Cheap checks without decoding pixels: the file size, the format by its
/// magic bytes, the dimensions from the header, the pixel count, and the
/// EXIF. `Err` is a reason for a person; the caller prefixes the file name.
pub fn inspect(bytes: &[u8]) -> Result<Inspected, String> {
    check_file_size(bytes.len() as u64)?;
    let format = sniff_format(bytes)?;
    let (stored_width, stored_height) = without_panics(|| header_dimensions(bytes, format))?;
    check_pixel_count(stored_width, stored_height)?;
    let exif = without_panics(|| Ok(read_exif(bytes))).unwrap_or_else(|_| Exif::absent());
    let (width, height) = upright_size(stored_width, stored_height, exif.orientation);
    check_rendition_shape(width, height)?;
    let location_in_xmp = without_panics(|| Ok(xmp_has_location(bytes))).unwrap_or(false);
    Ok(Inspected {
        location_in_xmp,
        format,
        stored_width,
        stored_height,
        width,
        height,
        exif,
    })
}

/// Refuses a file over [`MAX_FILE_BYTES`]. Separate from [`inspect`] so a
/// caller can check a file's length before reading it into memory.
pub fn check_file_size(len: u64) -> Result<(), String> {
    if len == 0 {
        return Err("the file is empty".to_string());
    }
    if len > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {}, more than the {} limit",
            megabytes(len),
            megabytes(MAX_FILE_BYTES)
        ));
    }
    Ok(())
}

/// Refuses an image over [`MAX_PIXELS`], or with no pixels at all.
pub fn check_pixel_count(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!(
            "the image header gives a size of {width}x{height} pixels"
        ));
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "the image is {width}x{height} pixels ({:.1} megapixels), more than the {} megapixel limit",
            pixels as f64 / 1e6,
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    let mib = bytes as f64 / (1024.0 * 1024.0);
    if mib >= 10.0 {
        format!("{mib:.0} MB")
    } else {
        format!("{mib:.1} MB")
    }
}

/// A panorama so narrow that its largest rendition would be taller than
/// libwebp allows cannot be published; say so now rather than after decoding.
fn check_rendition_shape(width: u32, height: u32) -> Result<(), String> {
    let largest = rendition_widths(width)[0];
    let tallest = scaled_height(largest, width, height);
    if tallest > MAX_RENDITION_SIDE {
        return Err(format!(
            "the image is {width}x{height} pixels, too tall and narrow for web renditions"
        ));
    }
    Ok(())
}

fn sniff_format(bytes: &[u8]) -> Result<Format, String> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return jpeg_coding(bytes).map(|()| Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    Err(match other_kind(bytes) {
        Some(kind) => format!("not a JPEG, PNG or WebP image (looks like {kind})"),
        None => "not a JPEG, PNG or WebP image".to_string(),
    })
}

/// JPEG has codings the decoder does not read (lossless, hierarchical,
/// arithmetic). Their header looks like any JPEG's, so without this walk to
/// the frame header they would fail later as "truncated or corrupt". A file
/// whose markers cannot be walked is left to the decoder to name.
fn jpeg_coding(bytes: &[u8]) -> Result<(), String> {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return Ok(());
        }
        let kind = match bytes[at + 1] {
            // Fill bytes before a marker.
            0xFF => {
                at += 1;
                continue;
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            // A frame the decoder reads, or scan data or the end before any.
            0xC0..=0xC2 | 0xD9 | 0xDA => return Ok(()),
            0xC3 => "lossless",
            0xC5..=0xC7 => "hierarchical",
            0xC9..=0xCB => "arithmetic-coded",
            0xCD..=0xCF => "hierarchical arithmetic-coded",
            // DHT (C4), JPG (C8), DAC (CC), APPn, DQT, comments: skipped.
            _ => "",
        };
        if !kind.is_empty() {
            return Err(format!(
                "{kind} JPEG is not supported: save the photo as a baseline or progressive JPEG"
            ));
        }
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        if length < 2 {
            return Ok(());
        }
        at += 2 + length;
    }
    Ok(())
}

/// Names a file that is not one of ours, so the person knows what to
/// convert from. Only formats people actually try to upload are listed.
fn other_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"GIF87a", "a GIF"),
        (b"GIF89a", "a GIF"),
        (b"%PDF-", "a PDF"),
        (b"II*\0", "a TIFF or a camera raw file"),
        (b"MM\0*", "a TIFF or a camera raw file"),
        (b"8BPS", "a Photoshop document"),
        (b"\xFF\x0A", "a JPEG XL image"),
        (b"\0\0\0\x0CJXL \r\n\x87\n", "a JPEG XL image"),
        (b"PK\x03\x04", "a ZIP archive or an office document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\0\0\x01\0", "an ICO icon"),
        (b"RIFF", "a RIFF file (AVI or WAV)"),
    ];
    if let Some((_, kind)) = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Some(kind);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(iso_media_kind(&bytes[8..12]));
    }
    // BMP's two magic letters are common in text too, so also require the
    // header's reserved zero bytes.
    if bytes.len() >= 14 && bytes.starts_with(b"BM") && bytes[6..10] == [0; 4] {
        return Some("a BMP");
    }
    text_kind(bytes)
}

/// ISO base media files (HEIC, AVIF, MP4, ...) are told apart by their brand.
fn iso_media_kind(brand: &[u8]) -> &'static str {
    match brand {
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => {
            "a HEIC/HEIF photo"
        }
        b"avif" | b"avis" => "an AVIF image",
        b"crx " => "a Canon CR3 raw file",
        _ => "a video (MP4/MOV)",
    }
}

fn text_kind(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The 4 KiB cut may fall inside a multi-byte character.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let printable = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{feff}'));
    if !printable {
        return None;
    }
    let lower = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    Some(if lower.contains("<svg") {
        "an SVG drawing"
    } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        "a web page"
    } else {
        "a text file"
    })
}

/// Reads the width and height from the header only; no decoder here
/// allocates a pixel buffer.
fn header_dimensions(bytes: &[u8], format: Format) -> Result<(u32, u32), String> {
    match format {
        Format::Jpeg => jpeg_header(bytes),
        Format::Png => {
            let mut decoder = png::Decoder::new(Cursor::new(bytes));
            let info = decoder.read_header_info().map_err(unreadable_header)?;
            Ok((info.width, info.height))
        }
        Format::WebP => {
            let decoder = image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
                .map_err(unreadable_header)?;
            Ok(decoder.dimensions())
        }
    }
}

fn jpeg_header(bytes: &[u8]) -> Result<(u32, u32), String> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(|e| match e {
        jpeg_decoder::Error::Unsupported(feature) => {
            format!("the JPEG uses a feature that cannot be imported ({feature:?})")
        }
        other => unreadable_header(other),
    })?;
    let info = decoder
        .info()
        .ok_or_else(|| unreadable_header("no frame header"))?;
    if info.pixel_format == jpeg_decoder::PixelFormat::L16 {
        return Err("16-bit (lossless) JPEGs cannot be imported".to_string());
    }
    Ok((info.width.into(), info.height.into()))
}

fn unreadable_header(e: impl std::fmt::Display) -> String {
    format!("the image header is unreadable ({e})")
}

fn upright_size(width: u32, height: u32, orientation: u16) -> (u32, u32) {
    if swaps_axes(orientation) {
        (height, width)
    } else {
        (width, height)
    }
}

/// EXIF orientations 5..=8 turn the picture by a quarter.
fn swaps_axes(orientation: u16) -> bool {
    (5..=8).contains(&orientation)
}

// ---------------------------------------------------------------------------
// EXIF
// ---------------------------------------------------------------------------

impl Exif {
    fn absent() -> Exif {
        Exif {
            orientation: 1,
            ..Exif::default()
        }
    }
}

/// Reads the fields we show from the primary image's EXIF. Missing or
/// malformed EXIF is no reason to refuse a photo, so every failure here
/// just leaves a field empty.
fn read_exif(bytes: &[u8]) -> Exif {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return Exif::absent();
    };
    let (taken_at, taken_at_local) = match taken_time(&exif) {
        Some(Taken::Zoned(at)) => (Some(at), None),
        Some(Taken::Local(at)) => (None, Some(at)),
        None => (None, None),
    };
    Exif {
        orientation: orientation(&exif),
        taken_at,
        taken_at_local,
        camera: camera(&exif),
        gps: gps(&exif),
        artist: text_field(&exif, exif::Tag::Artist),
        copyright: text_field(&exif, exif::Tag::Copyright),
    }
}

/// XMP's namespace for the EXIF properties (`exif:GPSLatitude`...).
const XMP_EXIF: &str = "http://ns.adobe.com/exif/1.0/";

/// A larger "packet" is not XMP a camera or editor wrote; it is not read.
const MAX_XMP_BYTES: usize = 1024 * 1024;

/// Whether an XMP packet in the file gives both exif:GPSLatitude and
/// exif:GPSLongitude, as attributes or as elements, whatever the prefix.
/// XMP is found by scanning for the packet, as the XMP specification
/// allows, so JPEG, PNG and WebP are read alike; nothing is decompressed.
fn xmp_has_location(bytes: &[u8]) -> bool {
    use quick_xml::events::Event;
    use quick_xml::name::{Namespace, ResolveResult};

    let Some(packet) = xmp_packet(bytes) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(packet) else {
        return false;
    };
    let is_exif =
        |ns: &ResolveResult| matches!(ns, ResolveResult::Bound(Namespace(n)) if *n == XMP_EXIF);
    let (mut latitude, mut longitude) = (false, false);
    let mut note = |local: &str| match local {
        "GPSLatitude" => latitude = true,
        "GPSLongitude" => longitude = true,
        _ => {}
    };
    let mut reader = quick_xml::NsReader::from_str(text);
    loop {
        let element = match reader.read_resolved_event() {
            Ok((ns, Event::Start(e))) => {
                if is_exif(&ns) {
                    note(e.local_name().as_ref());
                }
                e
            }
            Ok((_, Event::Empty(e))) => e,
            Ok((_, Event::Eof)) | Err(_) => break,
            Ok(_) => continue,
        };
        for attr in element.attributes().flatten() {
            let (ns, local) = reader.resolver().resolve_attribute(attr.key);
            if is_exif(&ns) && !attr.value.is_empty() {
                note(local.as_ref());
            }
        }
    }
    latitude && longitude
}

/// The bytes of the first XMP packet, from its `x:xmpmeta` (or bare
/// `rdf:RDF`) element to that element's end.
fn xmp_packet(bytes: &[u8]) -> Option<&[u8]> {
    use memchr::memmem::find;
    let (start, close) = match find(bytes, b"<x:xmpmeta") {
        Some(at) => (at, &b"</x:xmpmeta>"[..]),
        None => (find(bytes, b"<rdf:RDF")?, &b"</rdf:RDF>"[..]),
    };
    let rest = &bytes[start..bytes.len().min(start + MAX_XMP_BYTES)];
    let end = find(rest, close)? + close.len();
    Some(&rest[..end])
}

fn field(exif: &exif::Exif, tag: exif::Tag) -> Option<&exif::Value> {
    exif.get_field(tag, exif::In::PRIMARY).map(|f| &f.value)
}

fn orientation(exif: &exif::Exif) -> u16 {
    field(exif, exif::Tag::Orientation)
        .and_then(|v| v.get_uint(0))
        .and_then(|o| u16::try_from(o).ok())
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

/// An ASCII field as trimmed text. Cameras pad with spaces and NULs, and
/// many write UTF-8 although the standard says ASCII; a field with several
/// NUL-separated parts (Copyright: photographer, editor) is joined.
fn text_field(exif: &exif::Exif, tag: exif::Tag) -> Option<String> {
    let exif::Value::Ascii(parts) = field(exif, tag)? else {
        return None;
    };
    let parts: Vec<String> = parts
        .iter()
        .map(|p| String::from_utf8_lossy(p).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn camera(exif: &exif::Exif) -> Option<String> {
    let make = text_field(exif, exif::Tag::Make);
    let model = text_field(exif, exif::Tag::Model);
    match (make, model) {
        (Some(make), Some(model)) => Some(join_make_model(&make, &model)),
        (make, model) => model.or(make),
    }
}

/// "Canon" + "Canon EOS 5D Mark III" is "Canon EOS 5D Mark III";
/// "NIKON CORPORATION" + "NIKON D850" is "NIKON D850"; "SONY" + "ILCE-7M3"
/// is "SONY ILCE-7M3".
fn join_make_model(make: &str, model: &str) -> String {
    let brand = make.split_whitespace().next().unwrap_or(make);
    let starts_with_brand = model
        .get(..brand.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(brand));
    if starts_with_brand {
        model.to_string()
    } else {
        format!("{make} {model}")
    }
}

enum Taken {
    Zoned(DateTime<FixedOffset>),
    Local(NaiveDateTime),
}

fn taken_time(exif: &exif::Exif) -> Option<Taken> {
    let ascii = |tag| match field(exif, tag) {
        Some(exif::Value::Ascii(parts)) => parts.first().map(Vec::as_slice),
        _ => None,
    };
    let mut when = exif::DateTime::from_ascii(ascii(exif::Tag::DateTimeOriginal)?).ok()?;
    if let Some(subsec) = ascii(exif::Tag::SubSecTimeOriginal) {
        // A malformed fraction only loses the fraction.
        let _ = when.parse_subsec(subsec);
    }
    if let Some(offset) = ascii(exif::Tag::OffsetTimeOriginal) {
        let _ = when.parse_offset(offset);
    }
    let date = NaiveDate::from_ymd_opt(when.year.into(), when.month.into(), when.day.into())?;
    let time = NaiveTime::from_hms_nano_opt(
        when.hour.into(),
        when.minute.into(),
        when.second.into(),
        when.nanosecond.unwrap_or(0),
    )?;
    let local = date.and_time(time);
    match when.offset {
        Some(minutes) => {
            let offset = FixedOffset::east_opt(i32::from(minutes) * 60)?;
            offset
                .from_local_datetime(&local)
                .single()
                .map(Taken::Zoned)
        }
        None => Some(Taken::Local(local)),
    }
}

fn gps(exif: &exif::Exif) -> Option<Gps> {
    let latitude = signed_degrees(exif, exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, 'S')?;
    let longitude = signed_degrees(
        exif,
        exif::Tag::GPSLongitude,
        exif::Tag::GPSLongitudeRef,
        'W',
    )?;
    if latitude.abs() > 90.0 || longitude.abs() > 180.0 {
        return None;
    }
    Some(Gps {
        latitude,
        longitude,
        altitude: altitude(exif),
    })
}

/// Degrees, minutes and seconds with their hemisphere letter, as decimal
/// degrees; `negative` is the letter of the negative hemisphere.
fn signed_degrees(
    exif: &exif::Exif,
    tag: exif::Tag,
    ref_tag: exif::Tag,
    negative: char,
) -> Option<f64> {
    let exif::Value::Rational(dms) = field(exif, tag)? else {
        return None;
    };
    let [d, m, s] = dms.get(..3)? else {
        return None;
    };
    let degrees = d.to_f64() + m.to_f64() / 60.0 + s.to_f64() / 3600.0;
    if !degrees.is_finite() {
        return None;
    }
    let hemisphere = text_field(exif, ref_tag)?;
    Some(if hemisphere.starts_with(negative) {
        -degrees
    } else {
        degrees
    })
}

fn altitude(exif: &exif::Exif) -> Option<f64> {
    let exif::Value::Rational(metres) = field(exif, exif::Tag::GPSAltitude)? else {
        return None;
    };
    let metres = metres.first()?.to_f64();
    // GPSAltitudeRef 1 means below sea level.
    let below = field(exif, exif::Tag::GPSAltitudeRef).and_then(|v| v.get_uint(0)) == Some(1);
    metres
        .is_finite()
        .then_some(if below { -metres } else { metres })
}

// ---------------------------------------------------------------------------
// render
// ---------------------------------------------------------------------------

/// Decodes once and makes every rendition and the ThumbHash; see the module
/// documentation. `inspected` must come from [`inspect`] on the same bytes.
pub fn render(
    bytes: &[u8],
    inspected: &Inspected,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Rendered, String> {
    without_panics(|| render_checked(bytes, inspected, progress))
}

fn render_checked(
    bytes: &[u8],
    inspected: &Inspected,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Rendered, String> {
    check_inspection(bytes, inspected)?;
    let sizes = rendition_sizes(inspected);
    let (first_width, first_height) = sizes[0];
    let (want_width, want_height) =
        upright_size(first_width, first_height, inspected.exif.orientation);
    let decoded = decode(bytes, inspected, want_width, want_height)?;
    progress(Step::Decoded);

    let mut resizer = fir::Resizer::new();
    let largest = first_rendition(decoded, inspected, sizes[0], &mut resizer)?;
    progress(Step::Resized { width: first_width });
    encode_all(largest, &sizes, &mut resizer, progress)
}

/// `render` must stay safe when handed an `Inspected` from other bytes or
/// built by hand, so the limits that protect the decoders are checked again.
fn check_inspection(bytes: &[u8], inspected: &Inspected) -> Result<(), String> {
    check_file_size(bytes.len() as u64)?;
    check_pixel_count(inspected.stored_width, inspected.stored_height)?;
    let upright = upright_size(
        inspected.stored_width,
        inspected.stored_height,
        inspected.exif.orientation,
    );
    if upright != (inspected.width, inspected.height) {
        return Err("the inspection does not match the image".to_string());
    }
    check_rendition_shape(inspected.width, inspected.height)
}

/// Makes the smaller sizes, each from the one before, and encodes every size
/// in both formats on rayon's pool; the encodes of a size start while the
/// next size is being resized. Returns the renditions largest first, each
/// width's JPEG before its WebP.
fn encode_all(
    largest: Raster,
    sizes: &[(u32, u32)],
    resizer: &mut fir::Resizer,
    progress: &(dyn Fn(Step) + Sync),
) -> Result<Rendered, String> {
    let mut slots: Vec<Option<Result<Encoded, String>>> = Vec::new();
    slots.resize_with(sizes.len() * 2, || None);
    let thumbhash = rayon::scope_fifo(|scope| {
        let mut current = Arc::new(largest);
        let pairs = sizes.iter().zip(slots.chunks_mut(2)).enumerate();
        for (index, (&(width, height), pair)) in pairs {
            if index > 0 {
                current = Arc::new(resize(&current, width, height, resizer)?);
                progress(Step::Resized { width });
            }
            let [jpeg_slot, webp_slot] = pair else {
                continue;
            };
            // A FIFO scope runs jobs in the order spawned, so spawning the
            // longest first (larger sizes, WebP before JPEG) keeps both cores
            // busy to the end instead of leaving one big encode for last.
            let encoders: [(_, Encoder); 2] = [(webp_slot, encode_webp), (jpeg_slot, encode_jpeg)];
            for (slot, encode) in encoders {
                let raster = Arc::clone(&current);
                scope.spawn_fifo(move |_| {
                    let result = encode(&raster);
                    if let Ok(encoded) = &result {
                        progress(Step::Encoded {
                            width,
                            mime: encoded.mime,
                        });
                    }
                    *slot = Some(result);
                });
            }
        }
        make_thumbhash(&current, resizer)
    })?;
    let renditions = slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| Err("a rendition was not made".to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rendered {
        renditions,
        thumbhash,
    })
}

/// Upright (width, height) of each rendition, largest first.
fn rendition_sizes(inspected: &Inspected) -> Vec<(u32, u32)> {
    rendition_widths(inspected.width)
        .into_iter()
        .map(|w| (w, scaled_height(w, inspected.width, inspected.height)))
        .collect()
}

/// The widths to make for an upright width, largest first; never upscaled.
fn rendition_widths(upright_width: u32) -> Vec<u32> {
    let widths: Vec<u32> = WIDTHS
        .iter()
        .rev()
        .copied()
        .filter(|&w| w <= upright_width)
        .collect();
    if widths.is_empty() {
        vec![upright_width]
    } else {
        widths
    }
}

/// The height that keeps the aspect ratio at `width`, rounded, at least 1.
fn scaled_height(width: u32, source_width: u32, source_height: u32) -> u32 {
    let source_width = u64::from(source_width.max(1));
    let height = (u64::from(source_height) * u64::from(width) + source_width / 2) / source_width;
    u32::try_from(height.max(1)).unwrap_or(u32::MAX)
}

/// 8-bit pixels, RGB or (when the source has real transparency) RGBA.
struct Raster {
    width: u32,
    height: u32,
    alpha: bool,
    pixels: Vec<u8>,
}

impl Raster {
    fn channels(&self) -> usize {
        if self.alpha {
            4
        } else {
            3
        }
    }

    fn pixel_type(&self) -> fir::PixelType {
        if self.alpha {
            fir::PixelType::U8x4
        } else {
            fir::PixelType::U8x3
        }
    }
}

struct Decoded {
    raster: Raster,
    icc: Option<Vec<u8>>,
}

fn corrupt(e: impl std::fmt::Display) -> String {
    format!("the image data is truncated or corrupt ({e})")
}

/// Decodes the stored (not yet oriented) image, at least `want_width` x
/// `want_height` where the decoder can shrink for free.
fn decode(
    bytes: &[u8],
    inspected: &Inspected,
    want_width: u32,
    want_height: u32,
) -> Result<Decoded, String> {
    let decoded = match inspected.format {
        Format::Jpeg => decode_jpeg(bytes, want_width, want_height)?,
        Format::Png => decode_with_image(
            image::codecs::png::PngDecoder::new(Cursor::new(bytes)).map_err(corrupt)?,
        )?,
        Format::WebP => decode_with_image(
            image::codecs::webp::WebPDecoder::new(Cursor::new(bytes)).map_err(corrupt)?,
        )?,
    };
    let raster = &decoded.raster;
    if raster.width == 0
        || raster.height == 0
        || raster.width > inspected.stored_width
        || raster.height > inspected.stored_height
    {
        return Err(corrupt(format!(
            "decoded {}x{}, the header said {}x{}",
            raster.width, raster.height, inspected.stored_width, inspected.stored_height
        )));
    }
    Ok(decoded)
}

fn decode_jpeg(bytes: &[u8], want_width: u32, want_height: u32) -> Result<Decoded, String> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    // A second line of defence behind inspect's pixel limit.
    decoder.set_max_decoding_buffer_size(usize::try_from(MAX_PIXELS * 4).unwrap_or(usize::MAX));
    decoder.read_info().map_err(corrupt)?;
    let clamp = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
    decoder
        .scale(clamp(want_width), clamp(want_height))
        .map_err(corrupt)?;
    let header = decoder.info().ok_or_else(|| corrupt("no frame header"))?;
    if matches!(
        header.pixel_format,
        jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8
    ) {
        // The common case (YCbCr or grey) goes through libjpeg, which is
        // faster and scales by any n/8; see `libjpeg`.
        let decoded =
            super::libjpeg::decode_rgb(bytes, want_width, want_height).map_err(corrupt)?;
        return Ok(Decoded {
            raster: Raster {
                width: decoded.width,
                height: decoded.height,
                alpha: false,
                pixels: decoded.rgb,
            },
            icc: decoder.icc_profile(),
        });
    }
    let pixels = decoder.decode().map_err(corrupt)?;
    let info = decoder.info().ok_or_else(|| corrupt("no frame header"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let mut icc = decoder.icc_profile();
    let pixels = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        jpeg_decoder::PixelFormat::CMYK32 => {
            // The CMYK profile is used up here; the RGB steps must not see it.
            let profile = icc.take();
            cmyk_to_srgb(&pixels, profile.as_deref()).unwrap_or_else(|| cmyk_to_rgb(&pixels))
        }
        jpeg_decoder::PixelFormat::L16 => {
            return Err("16-bit (lossless) JPEGs cannot be imported".to_string())
        }
    };
    if pixels.len() != width as usize * height as usize * 3 {
        return Err(corrupt("the pixel data is shorter than the image"));
    }
    Ok(Decoded {
        raster: Raster {
            width,
            height,
            alpha: false,
            pixels,
        },
        icc,
    })
}

/// CMYK (as ink amounts, which is how jpeg-decoder hands it out, Adobe's
/// inversion undone) to sRGB through the file's own CMYK profile: press
/// profiles differ too much for one formula to look right.
fn cmyk_to_srgb(cmyk: &[u8], icc: Option<&[u8]>) -> Option<Vec<u8>> {
    let icc = icc.filter(|icc| icc_colour_space(icc) == Some(*b"CMYK"))?;
    let source = qcms::Profile::new_from_slice(icc, false)?;
    let srgb = srgb_profile();
    let transform = qcms::Transform::new_to(
        &source,
        &srgb,
        qcms::DataType::CMYK,
        qcms::DataType::RGB8,
        qcms::Intent::Perceptual,
    )?;
    let mut rgb = vec![0; cmyk.len() / 4 * 3];
    transform.convert(cmyk, &mut rgb);
    Some(rgb)
}

/// The naive conversion, for CMYK without a usable profile.
fn cmyk_to_rgb(cmyk: &[u8]) -> Vec<u8> {
    cmyk.chunks_exact(4)
        .flat_map(|p| {
            let k = 255 - u16::from(p[3]);
            let channel = |ink: u8| ((255 - u16::from(ink)) * k / 255) as u8;
            [channel(p[0]), channel(p[1]), channel(p[2])]
        })
        .collect()
}

/// The colour space signature in an ICC profile's header ("RGB ", "CMYK",
/// "GRAY"), so a profile is only ever applied to pixels of its kind.
fn icc_colour_space(icc: &[u8]) -> Option<[u8; 4]> {
    icc.get(16..20)?.try_into().ok()
}

fn srgb_profile() -> Box<qcms::Profile> {
    let mut srgb = qcms::Profile::new_sRGB();
    srgb.precache_output_transform();
    srgb
}

/// PNG and WebP go through the image crate (png and image-webp, both Rust),
/// with limits as a second line of defence behind inspect's pixel limit.
fn decode_with_image(mut decoder: impl image::ImageDecoder) -> Result<Decoded, String> {
    let mut limits = image::Limits::default();
    let side = u32::try_from(MAX_PIXELS).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(MAX_PIXELS * 8); // 16-bit RGBA
    decoder.set_limits(limits).map_err(corrupt)?;
    // A damaged profile only costs the colour conversion.
    let icc = decoder.icc_profile().ok().flatten();
    let image = image::DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    Ok(Decoded {
        raster: raster_from_image(image),
        icc,
    })
}

/// 8-bit RGB, or RGBA when some pixel is actually transparent: an alpha
/// channel that is all opaque is dropped, which makes resizing and both
/// encoders cheaper. 16-bit sources are rounded to 8 bits here.
fn raster_from_image(image: image::DynamicImage) -> Raster {
    let (width, height) = (image.width(), image.height());
    let raster = |alpha, pixels| Raster {
        width,
        height,
        alpha,
        pixels,
    };
    if !image.color().has_alpha() {
        return raster(false, image.into_rgb8().into_raw());
    }
    let rgba = image.into_rgba8().into_raw();
    if rgba.chunks_exact(4).any(|p| p[3] < u8::MAX) {
        return raster(true, rgba);
    }
    let rgb = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    raster(false, rgb)
}

/// The largest rendition: resized in the stored orientation (fewer pixels to
/// turn afterwards), then turned upright and converted to sRGB.
fn first_rendition(
    decoded: Decoded,
    inspected: &Inspected,
    (width, height): (u32, u32),
    resizer: &mut fir::Resizer,
) -> Result<Raster, String> {
    let orientation = inspected.exif.orientation;
    let (stored_width, stored_height) = upright_size(width, height, orientation);
    let mut raster = resize(&decoded.raster, stored_width, stored_height, resizer)?;
    drop(decoded.raster);
    raster = apply_orientation(raster, orientation);
    if let Some(icc) = &decoded.icc {
        convert_to_srgb(&mut raster, icc);
    }
    Ok(raster)
}

fn resize(
    source: &Raster,
    width: u32,
    height: u32,
    resizer: &mut fir::Resizer,
) -> Result<Raster, String> {
    if (source.width, source.height) == (width, height) {
        return Ok(Raster {
            pixels: source.pixels.clone(),
            ..*source
        });
    }
    let failed = |e: &dyn std::fmt::Display| format!("could not resize to {width}x{height} ({e})");
    let view = fir::images::ImageRef::new(
        source.width,
        source.height,
        &source.pixels,
        source.pixel_type(),
    )
    .map_err(|e| failed(&e))?;
    let mut target = fir::images::Image::new(width, height, source.pixel_type());
    // Lanczos3 is the sharpest of the usual filters; fast_image_resize
    // handles alpha (premultiplied) for RGBA on its own.
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    if source.alpha {
        resize_as::<fir::pixels::U8x4>(resizer, &view, &mut target, &options)
    } else {
        resize_as::<fir::pixels::U8x3>(resizer, &view, &mut target, &options)
    }
    .map_err(|e| failed(&e))?;
    Ok(Raster {
        width,
        height,
        alpha: source.alpha,
        pixels: target.into_vec(),
    })
}

/// Resizes as pixel type `P`. Naming the type links only its kernels:
/// `Resizer::resize` dispatches over all thirteen pixel types and put 2.4 MB
/// of machine code into each binary (docs/perf.md, "Linux packages").
fn resize_as<P: fir::PixelTrait>(
    resizer: &mut fir::Resizer,
    source: &fir::images::ImageRef,
    target: &mut fir::images::Image,
    options: &fir::ResizeOptions,
) -> Result<(), fir::ResizeError> {
    use fir::{IntoImageView, IntoImageViewMut};
    match (source.image_view::<P>(), target.image_view_mut::<P>()) {
        (Some(from), Some(mut to)) => resizer.resize_typed(&from, &mut to, options),
        _ => Err(fir::ResizeError::PixelTypesAreDifferent),
    }
}

/// Turns stored pixels upright per the EXIF orientation (1..=8).
fn apply_orientation(source: Raster, orientation: u16) -> Raster {
    if !(2..=8).contains(&orientation) {
        return source;
    }
    let (w, h) = (source.width as usize, source.height as usize);
    let channels = source.channels();
    let (out_w, out_h) = if swaps_axes(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    let mut pixels = vec![0u8; source.pixels.len()];
    for (y, row) in pixels.chunks_exact_mut(out_w * channels).enumerate() {
        for (x, pixel) in row.chunks_exact_mut(channels).enumerate() {
            // Where upright pixel (x, y) is stored.
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x), // 8
            };
            let at = (sy * w + sx) * channels;
            pixel.copy_from_slice(&source.pixels[at..at + channels]);
        }
    }
    Raster {
        width: out_w as u32,
        height: out_h as u32,
        alpha: source.alpha,
        pixels,
    }
}

/// Converts from an embedded RGB profile to sRGB. A profile qcms cannot read,
/// or one that is not RGB (a greyscale one), is left alone: the pixels are
/// then taken as sRGB.
fn convert_to_srgb(raster: &mut Raster, icc: &[u8]) {
    if icc_colour_space(icc) != Some(*b"RGB ") {
        return;
    }
    let Some(source) = qcms::Profile::new_from_slice(icc, false) else {
        return;
    };
    let srgb = srgb_profile();
    let data_type = if raster.alpha {
        qcms::DataType::RGBA8
    } else {
        qcms::DataType::RGB8
    };
    if let Some(transform) =
        qcms::Transform::new(&source, &srgb, data_type, qcms::Intent::Perceptual)
    {
        transform.apply(&mut raster.pixels);
    }
}

type Encoder = fn(&Raster) -> Result<Encoded, String>;

fn encode_jpeg(raster: &Raster) -> Result<Encoded, String> {
    let failed =
        |e: &dyn std::fmt::Display| format!("could not encode the {}px JPEG ({e})", raster.width);
    let width = u16::try_from(raster.width).map_err(|e| failed(&e))?;
    let height = u16::try_from(raster.height).map_err(|e| failed(&e))?;
    let flattened;
    let rgb = if raster.alpha {
        flattened = flatten_on_white(&raster.pixels);
        &flattened
    } else {
        &raster.pixels
    };
    let mut bytes = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, JPEG_QUALITY);
    encoder.set_progressive(true);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    // Averaging each 2x2 block avoids the colour fringes of point sampling.
    encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    encoder.set_optimized_huffman_tables(true);
    encoder
        .encode(rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| failed(&e))?;
    Ok(Encoded {
        width: raster.width,
        height: raster.height,
        mime: "image/jpeg",
        bytes,
    })
}

/// JPEG has no alpha: composite onto white, the page background.
fn flatten_on_white(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| {
            let alpha = u16::from(p[3]);
            let over_white =
                |c: u8| ((u16::from(c) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
            [over_white(p[0]), over_white(p[1]), over_white(p[2])]
        })
        .collect()
}

fn encode_webp(raster: &Raster) -> Result<Encoded, String> {
    let failed =
        |e: &dyn std::fmt::Debug| format!("could not encode the {}px WebP ({e:?})", raster.width);
    let layout = if raster.alpha {
        webp::PixelLayout::Rgba
    } else {
        webp::PixelLayout::Rgb
    };
    let encoder = webp::Encoder::new(&raster.pixels, layout, raster.width, raster.height);
    let mut config = webp::WebPConfig::new().map_err(|()| failed(&"no configuration"))?;
    config.quality = WEBP_QUALITY;
    config.method = WEBP_METHOD;
    let memory = encoder.encode_advanced(&config).map_err(|e| failed(&e))?;
    Ok(Encoded {
        width: raster.width,
        height: raster.height,
        mime: "image/webp",
        bytes: memory.to_vec(),
    })
}

/// The ThumbHash of a picture, from a copy at most 100 px on its long side.
fn make_thumbhash(smallest: &Raster, resizer: &mut fir::Resizer) -> Result<String, String> {
    let (w, h) = (smallest.width, smallest.height);
    let (tw, th) = if w >= h {
        let tw = w.min(THUMBHASH_MAX_SIDE);
        (tw, scaled_height(tw, w, h).min(THUMBHASH_MAX_SIDE))
    } else {
        let th = h.min(THUMBHASH_MAX_SIDE);
        (scaled_height(th, h, w).min(THUMBHASH_MAX_SIDE), th)
    };
    let small = resize(smallest, tw, th, resizer)?;
    let rgba: Vec<u8> = if small.alpha {
        small.pixels
    } else {
        small
            .pixels
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], u8::MAX])
            .collect()
    };
    let hash = thumbhash::rgba_to_thumb_hash(tw as usize, th as usize, &rgba);
    Ok(base64::engine::general_purpose::STANDARD.encode(hash))
}

/// Runs decoder and encoder code so that a panic on hostile input becomes
/// an `Err` rather than taking the caller down.
fn without_panics<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err("the image could not be processed (a decoder failed on this file)".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Mutex, OnceLock};

    const PHOTOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/photos/");

    fn photo(name: &str) -> Vec<u8> {
        let path = format!("{PHOTOS}{name}");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn inspect_and_render(bytes: &[u8]) -> (Inspected, Rendered) {
        let inspected = inspect(bytes).expect("inspect");
        let rendered = render(bytes, &inspected, &|_| {}).expect("render");
        (inspected, rendered)
    }

    /// Renders are the slow part of this suite, so each photo is rendered
    /// once and shared by the tests that look at it.
    fn rendered(name: &'static str) -> &'static (Inspected, Rendered) {
        static BOATS: OnceLock<(Inspected, Rendered)> = OnceLock::new();
        static FOREST: OnceLock<(Inspected, Rendered)> = OnceLock::new();
        static KAY: OnceLock<(Inspected, Rendered)> = OnceLock::new();
        let cell = match name {
            "boats.jpg" => &BOATS,
            "forest-orient6.jpg" => &FOREST,
            "kay-portrait.png" => &KAY,
            other => panic!("no shared render for {other}"),
        };
        cell.get_or_init(|| inspect_and_render(&photo(name)))
    }

    fn sizes_and_mimes(rendered: &Rendered) -> Vec<(u32, u32, &'static str)> {
        rendered
            .renditions
            .iter()
            .map(|r| (r.width, r.height, r.mime))
            .collect()
    }

    fn both_formats(sizes: &[(u32, u32)]) -> Vec<(u32, u32, &'static str)> {
        sizes
            .iter()
            .flat_map(|&(w, h)| [(w, h, "image/jpeg"), (w, h, "image/webp")])
            .collect()
    }

    fn decode_rendition(encoded: &Encoded) -> image::DynamicImage {
        match encoded.mime {
            "image/jpeg" => decode_jpeg_file(&encoded.bytes).into(),
            _ => image::load_from_memory_with_format(&encoded.bytes, image::ImageFormat::WebP)
                .expect("WebP rendition decodes"),
        }
    }

    /// The image crate is built without its JPEG decoder (the pipeline uses
    /// jpeg-decoder), so JPEGs are read back with jpeg-decoder, unscaled.
    fn decode_jpeg_file(bytes: &[u8]) -> image::RgbImage {
        let mut decoder = jpeg_decoder::Decoder::new(bytes);
        let pixels = decoder.decode().expect("JPEG decodes");
        let info = decoder.info().expect("info");
        assert_eq!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24);
        image::RgbImage::from_raw(info.width.into(), info.height.into(), pixels).expect("size")
    }

    fn encode_png(image: impl Into<image::DynamicImage>) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .into()
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("png encodes");
        bytes
    }

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

    /// A PNG signature and IHDR claiming `width` x `height` RGB, and no pixels.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut chunk = b"IHDR".to_vec();
        chunk.extend(width.to_be_bytes());
        chunk.extend(height.to_be_bytes());
        chunk.extend([8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(13u32.to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
        png
    }

    // -- metadata never leaks ------------------------------------------------

    #[test]
    fn renditions_carry_no_metadata() {
        for name in ["boats.jpg", "forest-orient6.jpg"] {
            let (_, rendered) = rendered(name);
            assert_eq!(rendered.renditions.len(), 10, "{name}");
            for r in &rendered.renditions {
                let what = format!("{name} {}px {}", r.width, r.mime);
                match exif::Reader::new().read_from_container(&mut Cursor::new(&r.bytes)) {
                    Err(_) => {}
                    Ok(exif) => {
                        assert_eq!(exif.fields().len(), 0, "{what} has EXIF fields");
                        assert!(exif
                            .get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
                            .is_none());
                    }
                }
                for needle in ["Exif", "Canon", "Field Photographer", "Example Agency"] {
                    let found = r
                        .bytes
                        .windows(needle.len())
                        .any(|w| w == needle.as_bytes());
                    assert!(!found, "{what} contains {needle:?}");
                }
                for chunk in [
                    &b"XMP "[..],
                    b"ICCP",
                    b"ICC_PROFILE",
                    b"http://ns.adobe.com",
                ] {
                    let found = r.bytes.windows(chunk.len()).any(|w| w == chunk);
                    assert!(
                        !found,
                        "{what} contains {:?}",
                        String::from_utf8_lossy(chunk)
                    );
                }
            }
        }
    }

    // -- orientation -----------------------------------------------------------

    #[test]
    fn forest_is_rendered_upright() {
        let (inspected, rendered) = rendered("forest-orient6.jpg");
        assert_eq!(
            (inspected.stored_width, inspected.stored_height),
            (1600, 2560)
        );
        assert_eq!((inspected.width, inspected.height), (2560, 1600));
        assert_eq!(inspected.exif.orientation, 6);
        let largest = &rendered.renditions[0];
        assert_eq!((largest.width, largest.height), (2048, 1280));
        let decoded = decode_rendition(largest);
        assert_eq!((decoded.width(), decoded.height()), (2048, 1280));
    }

    #[test]
    fn forest_pixels_are_turned_clockwise() {
        // An independent oracle: the stored pixels turned both ways by the
        // image crate; ours must match the clockwise turn.
        let stored = decode_jpeg_file(&photo("forest-orient6.jpg"));
        let small = |img: &image::RgbImage| {
            image::imageops::resize(img, 64, 40, image::imageops::FilterType::Triangle)
        };
        let clockwise = small(&image::imageops::rotate90(&stored));
        let anticlockwise = small(&image::imageops::rotate270(&stored));
        let (_, rendered) = rendered("forest-orient6.jpg");
        let smallest = rendered.renditions.last().expect("renditions");
        let ours = small(&decode_rendition(smallest).into_rgb8());
        let distance = |a: &image::RgbImage, b: &image::RgbImage| -> f64 {
            let sum: u64 = a
                .as_raw()
                .iter()
                .zip(b.as_raw())
                .map(|(&x, &y)| u64::from(x.abs_diff(y)))
                .sum();
            sum as f64 / a.as_raw().len() as f64
        };
        let right = distance(&ours, &clockwise);
        let wrong = distance(&ours, &anticlockwise);
        assert!(
            right < 4.0,
            "mean difference from the upright image is {right}"
        );
        assert!(
            right * 3.0 < wrong,
            "upright {right} vs upside down {wrong}"
        );
    }

    #[test]
    fn every_orientation_maps_like_exif_says() {
        // Stored 3x2, pixels numbered row by row:  0 1 2 / 3 4 5.
        let stored = || Raster {
            width: 3,
            height: 2,
            alpha: false,
            pixels: (0..6u8).flat_map(|v| [v, v, v]).collect(),
        };
        let upright = |orientation| {
            let r = apply_orientation(stored(), orientation);
            let values: Vec<u8> = r.pixels.chunks_exact(3).map(|p| p[0]).collect();
            (r.width, r.height, values)
        };
        assert_eq!(upright(1), (3, 2, vec![0, 1, 2, 3, 4, 5]));
        assert_eq!(upright(2), (3, 2, vec![2, 1, 0, 5, 4, 3]));
        assert_eq!(upright(3), (3, 2, vec![5, 4, 3, 2, 1, 0]));
        assert_eq!(upright(4), (3, 2, vec![3, 4, 5, 0, 1, 2]));
        assert_eq!(upright(5), (2, 3, vec![0, 3, 1, 4, 2, 5]));
        assert_eq!(upright(6), (2, 3, vec![3, 0, 4, 1, 5, 2]));
        assert_eq!(upright(7), (2, 3, vec![5, 2, 4, 1, 3, 0]));
        assert_eq!(upright(8), (2, 3, vec![2, 5, 1, 4, 0, 3]));
    }

    // -- widths ----------------------------------------------------------------

    #[test]
    fn boats_gets_every_width_in_both_formats() {
        let (_, rendered) = rendered("boats.jpg");
        let expected = both_formats(&[
            (2048, 1280),
            (1600, 1000),
            (1024, 640),
            (640, 400),
            (320, 200),
        ]);
        assert_eq!(sizes_and_mimes(rendered), expected);
        for r in &rendered.renditions {
            let decoded = decode_rendition(r);
            assert_eq!(
                (decoded.width(), decoded.height()),
                (r.width, r.height),
                "{}",
                r.mime
            );
        }
    }

    #[test]
    fn portrait_png_is_never_upscaled() {
        let (inspected, rendered) = rendered("kay-portrait.png");
        assert_eq!(inspected.format, Format::Png);
        assert_eq!((inspected.width, inspected.height), (1080, 1920));
        // 1920/1080 of each width, rounded.
        let expected = both_formats(&[(1024, 1820), (640, 1138), (320, 569)]);
        assert_eq!(sizes_and_mimes(rendered), expected);
    }

    #[test]
    fn an_image_narrower_than_320_gets_one_rendition_at_its_own_width() {
        let tiny = image::RgbImage::from_fn(200, 100, |x, y| image::Rgb([x as u8, y as u8, 128]));
        let (_, rendered) = inspect_and_render(&encode_png(tiny));
        assert_eq!(sizes_and_mimes(&rendered), both_formats(&[(200, 100)]));
    }

    #[test]
    fn rendition_widths_stop_at_the_image_width() {
        assert_eq!(rendition_widths(5120), vec![2048, 1600, 1024, 640, 320]);
        assert_eq!(rendition_widths(2048), vec![2048, 1600, 1024, 640, 320]);
        assert_eq!(rendition_widths(2047), vec![1600, 1024, 640, 320]);
        assert_eq!(rendition_widths(320), vec![320]);
        assert_eq!(rendition_widths(319), vec![319]);
        assert_eq!(rendition_widths(1), vec![1]);
        assert_eq!(scaled_height(320, 100_000, 10), 1);
    }

    #[test]
    fn progress_reports_every_step() {
        let bytes = encode_png(image::RgbImage::from_pixel(
            700,
            350,
            image::Rgb([9, 99, 199]),
        ));
        let inspected = inspect(&bytes).expect("inspect");
        let steps = Mutex::new(Vec::new());
        render(&bytes, &inspected, &|step| {
            steps.lock().expect("lock").push(step)
        })
        .expect("render");
        let mut steps = steps.into_inner().expect("lock");
        assert_eq!(steps[0], Step::Decoded);
        // Encodes finish in any order.
        steps.sort_by_key(|s| format!("{s:?}"));
        let mut expected = vec![Step::Decoded];
        for width in [640, 320] {
            expected.push(Step::Resized { width });
            expected.push(Step::Encoded {
                width,
                mime: "image/jpeg",
            });
            expected.push(Step::Encoded {
                width,
                mime: "image/webp",
            });
        }
        expected.sort_by_key(|s| format!("{s:?}"));
        assert_eq!(steps, expected);
    }

    // -- colour and alpha --------------------------------------------------------

    #[test]
    fn transparency_is_flattened_on_white_for_jpeg_and_kept_in_webp() {
        // Left half opaque red, right half fully transparent.
        let rgba = image::RgbaImage::from_fn(64, 32, |x, _| {
            if x < 32 {
                image::Rgba([255, 0, 0, 255])
            } else {
                image::Rgba([0, 0, 0, 0])
            }
        });
        let (_, rendered) = inspect_and_render(&encode_png(rgba));
        let [jpeg, webp] = &rendered.renditions[..] else {
            panic!("expected one width in two formats");
        };
        let jpeg = decode_rendition(jpeg).into_rgb8();
        let white = jpeg.get_pixel(60, 16).0;
        assert!(
            white.iter().all(|&c| c > 245),
            "transparent area is {white:?} in the JPEG"
        );
        let red = jpeg.get_pixel(4, 16).0;
        assert!(
            red[0] > 230 && red[1] < 30 && red[2] < 30,
            "opaque area is {red:?}"
        );
        let webp = decode_rendition(webp);
        assert!(webp.color().has_alpha());
        assert_eq!(webp.into_rgba8().get_pixel(60, 16).0[3], 0);
    }

    #[test]
    fn sixteen_bit_png_is_rendered_in_eight_bits() {
        let deep = image::ImageBuffer::<image::Rgb<u16>, _>::from_pixel(
            400,
            300,
            image::Rgb([65535, 32768, 0]),
        );
        let (_, rendered) = inspect_and_render(&encode_png(deep));
        assert_eq!(sizes_and_mimes(&rendered), both_formats(&[(320, 240)]));
        let pixel = decode_rendition(&rendered.renditions[0])
            .into_rgb8()
            .get_pixel(160, 120)
            .0;
        assert!(
            pixel[0] > 240 && (118..=138).contains(&pixel[1]) && pixel[2] < 15,
            "{pixel:?}"
        );
    }

    /// A minimal ICC v2 display profile: sRGB's primaries (D50) with red and
    /// green swapped, and a 2.2 gamma. Converting from it is plain to see:
    /// red pixels come out green.
    fn red_green_swapped_profile() -> Vec<u8> {
        let s15 = |v: f64| ((v * 65536.0).round() as i32).to_be_bytes();
        let xyz = |values: [f64; 3]| {
            let mut tag = b"XYZ \0\0\0\0".to_vec();
            tag.extend(values.into_iter().flat_map(s15));
            tag
        };
        let mut gamma = b"curv\0\0\0\0".to_vec();
        gamma.extend(1u32.to_be_bytes());
        gamma.extend([2, 0x33, 0, 0]); // 2.2 as u8Fixed8, padded
        let tags: [(&[u8; 4], Vec<u8>); 7] = [
            (b"rXYZ", xyz([0.3851, 0.7169, 0.0971])), // sRGB's green
            (b"gXYZ", xyz([0.4361, 0.2225, 0.0139])), // sRGB's red
            (b"bXYZ", xyz([0.1431, 0.0606, 0.7141])),
            (b"wtpt", xyz([0.9642, 1.0, 0.8249])),
            (b"rTRC", gamma.clone()),
            (b"gTRC", gamma.clone()),
            (b"bTRC", gamma),
        ];
        let data_start = 128 + 4 + 12 * tags.len();
        let mut table = (tags.len() as u32).to_be_bytes().to_vec();
        let mut data = Vec::new();
        for (signature, body) in &tags {
            table.extend(*signature);
            table.extend(((data_start + data.len()) as u32).to_be_bytes());
            table.extend((body.len() as u32).to_be_bytes());
            data.extend(body);
        }
        let mut header = vec![0u8; 128];
        header[0..4].copy_from_slice(&((data_start + data.len()) as u32).to_be_bytes());
        header[8..12].copy_from_slice(&[2, 0x10, 0, 0]);
        header[12..16].copy_from_slice(b"mntr");
        header[16..20].copy_from_slice(b"RGB ");
        header[20..24].copy_from_slice(b"XYZ ");
        header[36..40].copy_from_slice(b"acsp");
        let d50: Vec<u8> = [0.9642, 1.0, 0.8249].into_iter().flat_map(s15).collect();
        header[68..80].copy_from_slice(&d50);
        [header, table, data].concat()
    }

    #[test]
    fn an_embedded_profile_is_converted_to_srgb() {
        let red = image::RgbImage::from_pixel(64, 32, image::Rgb([255, 0, 0]));
        let mut jpeg = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 95);
        encoder
            .add_icc_profile(&red_green_swapped_profile())
            .expect("profile fits");
        encoder
            .encode(red.as_raw(), 64, 32, jpeg_encoder::ColorType::Rgb)
            .expect("jpeg");
        let (_, rendered) = inspect_and_render(&jpeg);
        for rendition in &rendered.renditions {
            let pixel = decode_rendition(rendition).into_rgb8().get_pixel(32, 16).0;
            assert!(
                pixel[0] < 80 && pixel[1] > 200 && pixel[2] < 80,
                "{} is {pixel:?}, not green",
                rendition.mime
            );
        }
    }

    #[test]
    fn an_unreadable_icc_profile_leaves_the_pixels_alone() {
        let mut raster = Raster {
            width: 1,
            height: 1,
            alpha: false,
            pixels: vec![10, 20, 30],
        };
        convert_to_srgb(&mut raster, b"not a profile");
        assert_eq!(raster.pixels, vec![10, 20, 30]);
    }

    // -- EXIF ----------------------------------------------------------------------

    #[test]
    fn boats_exif_is_read() {
        let exif = inspect(&photo("boats.jpg")).expect("inspect").exif;
        let taken = DateTime::parse_from_rfc3339("2014-09-17T14:32:05+03:00").expect("time");
        assert_eq!(exif.taken_at, Some(taken));
        assert_eq!(
            exif.taken_at.map(|t| t.offset().local_minus_utc()),
            Some(3 * 3600)
        );
        assert_eq!(exif.taken_at_local, None);
        assert_eq!(exif.camera.as_deref(), Some("Canon EOS 5D Mark III"));
        assert_eq!(exif.artist.as_deref(), Some("Field Photographer"));
        assert_eq!(exif.copyright.as_deref(), Some("Example Agency"));
        assert_eq!(exif.orientation, 1);
        let gps = exif.gps.expect("gps");
        assert!((gps.latitude - 36.19).abs() < 0.001, "{gps:?}");
        assert!((gps.longitude - 44.01).abs() < 0.001, "{gps:?}");
        assert!(
            (gps.altitude.expect("altitude") - 420.0).abs() < 0.5,
            "{gps:?}"
        );
    }

    #[test]
    fn forest_exif_has_a_local_time_only() {
        let exif = inspect(&photo("forest-orient6.jpg")).expect("inspect").exif;
        let local = NaiveDate::from_ymd_opt(2014, 9, 17).and_then(|d| d.and_hms_opt(16, 5, 40));
        assert_eq!(exif.taken_at_local, local);
        assert_eq!(exif.taken_at, None);
        let gps = exif.gps.expect("gps");
        assert!((gps.latitude - 33.31).abs() < 0.001 && (gps.longitude - 44.36).abs() < 0.001);
    }

    #[test]
    fn cups_has_no_exif() {
        let inspected = inspect(&photo("cups.jpg")).expect("inspect");
        assert_eq!(inspected.exif, Exif::absent());
        assert_eq!(inspected.exif.orientation, 1);
        assert_eq!((inspected.width, inspected.height), (2560, 1600));
    }

    #[test]
    fn webp_and_png_headers_are_read() {
        let wood = inspect(&photo("wood.webp")).expect("inspect");
        assert_eq!(
            (wood.format, wood.width, wood.height),
            (Format::WebP, 4096, 4096)
        );
        let kay = inspect(&photo("kay-portrait.png")).expect("inspect");
        assert_eq!(
            (kay.format, kay.width, kay.height),
            (Format::Png, 1080, 1920)
        );
        assert_eq!(Format::WebP.mime(), "image/webp");
        assert_eq!(Format::Jpeg.extension(), "jpg");
    }

    #[test]
    fn make_is_not_repeated_in_the_camera_name() {
        assert_eq!(
            join_make_model("Canon", "Canon EOS 5D Mark III"),
            "Canon EOS 5D Mark III"
        );
        assert_eq!(
            join_make_model("NIKON CORPORATION", "NIKON D850"),
            "NIKON D850"
        );
        assert_eq!(join_make_model("SONY", "ILCE-7M3"), "SONY ILCE-7M3");
        assert_eq!(join_make_model("Apple", "iPhone 13"), "Apple iPhone 13");
    }

    // -- refusals ------------------------------------------------------------------

    fn refusal(bytes: &[u8]) -> String {
        inspect(bytes).expect_err("should be refused")
    }

    #[test]
    fn other_formats_are_refused_by_name() {
        let gif = refusal(b"GIF89a\x01\x00\x01\x00\x80\x00\x00");
        assert!(
            gif.starts_with("not a JPEG, PNG or WebP image") && gif.contains("GIF"),
            "{gif}"
        );
        let heic = refusal(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic");
        assert!(heic.contains("HEIC"), "{heic}");
        assert!(refusal(b"%PDF-1.7\n").contains("PDF"));
        let text = refusal("Breaking: the minister resigned.\n".as_bytes());
        assert!(text.contains("text"), "{text}");
        let unknown = refusal(&[0x00, 0x01, 0x02, 0x03, 0xFE]);
        assert_eq!(unknown, "not a JPEG, PNG or WebP image");
        assert_eq!(refusal(b""), "the file is empty");
    }

    /// `jpeg` with its frame header's marker (SOF0 in the shared photos)
    /// replaced by `sof`.
    fn with_frame_marker(mut jpeg: Vec<u8>, sof: u8) -> Vec<u8> {
        let at = jpeg
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .expect("a baseline JPEG");
        jpeg[at + 1] = sof;
        jpeg
    }

    #[test]
    fn jpeg_codings_the_decoder_cannot_read_are_refused_by_name() {
        let boats = photo("boats.jpg");
        let lossless = refusal(&with_frame_marker(boats.clone(), 0xC3));
        assert!(
            lossless.starts_with("lossless JPEG is not supported"),
            "{lossless}"
        );
        for (sof, kind) in [
            (0xC5, "hierarchical JPEG"),
            (0xC7, "hierarchical JPEG"),
            (0xC9, "arithmetic-coded JPEG"),
            (0xCB, "arithmetic-coded JPEG"),
            (0xCF, "hierarchical arithmetic-coded JPEG"),
        ] {
            let msg = refusal(&with_frame_marker(boats.clone(), sof));
            assert!(
                msg.starts_with(&format!("{kind} is not supported")),
                "{sof:X}: {msg}"
            );
        }
        // A minimal lossless file: SOI, a comment, SOF3, EOI.
        let minimal = [
            &[0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x04, b'h', b'i'][..],
            &[0xFF, 0xFF, 0xC3, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0],
            &[0xFF, 0xD9],
        ]
        .concat();
        assert!(sniff_format(&minimal)
            .unwrap_err()
            .starts_with("lossless JPEG"));
        // Baseline, extended and progressive frames pass the check, and
        // DHT/DAC segments before the frame are not mistaken for one.
        for sof in [0xC0, 0xC1, 0xC2] {
            assert!(matches!(
                sniff_format(&with_frame_marker(boats.clone(), sof)),
                Ok(Format::Jpeg)
            ));
        }
        let tables_first = [
            &[0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x02, 0xFF, 0xCC, 0x00, 0x02][..],
            &[
                0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xFF, 0xD9,
            ],
        ]
        .concat();
        assert!(matches!(sniff_format(&tables_first), Ok(Format::Jpeg)));
        for name in [
            "boats.jpg",
            "cups.jpg",
            "forest-orient6.jpg",
            "beach-5k.jpg",
        ] {
            assert!(
                matches!(sniff_format(&photo(name)), Ok(Format::Jpeg)),
                "{name}"
            );
        }
    }

    /// `jpeg` with an APP1 XMP segment holding `xmp` right after SOI.
    fn with_xmp(jpeg: &[u8], xmp: &str) -> Vec<u8> {
        let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        payload.extend_from_slice(xmp.as_bytes());
        let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        [&jpeg[..2], &[0xFF, 0xE1], &length, &payload, &jpeg[2..]].concat()
    }

    fn xmp(description: &str) -> String {
        format!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
             <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF \
             xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">{description}\
             </rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
        )
    }

    #[test]
    fn gps_recorded_only_in_xmp_is_a_location() {
        let cups = photo("cups.jpg");
        let plain = inspect(&cups).unwrap();
        assert!(plain.exif.gps.is_none() && !plain.has_location());
        let located = [
            // Attributes, as exiftool and Lightroom write them.
            r#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"
                exif:GPSLatitude="51,30.4440N" exif:GPSLongitude="0,7.6980W"/>"#,
            // Elements, under another prefix.
            r#"<rdf:Description xmlns:e="http://ns.adobe.com/exif/1.0/">
                <e:GPSLatitude>48,51.3960N</e:GPSLatitude>
                <e:GPSLongitude>2,21.0420E</e:GPSLongitude></rdf:Description>"#,
        ];
        for description in located {
            let got = inspect(&with_xmp(&cups, &xmp(description))).unwrap();
            assert!(got.location_in_xmp && got.has_location(), "{description}");
        }
        let not_located = [
            // A latitude alone is no position.
            r#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.4440N"/>"#,
            // The same names in another namespace are something else.
            r#"<rdf:Description xmlns:my="http://example.com/ns/" my:GPSLatitude="1" my:GPSLongitude="2"/>"#,
            // Empty values.
            r#"<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="" exif:GPSLongitude=""/>"#,
        ];
        for description in not_located {
            let got = inspect(&with_xmp(&cups, &xmp(description))).unwrap();
            assert!(!got.has_location(), "{description}");
        }
        // Broken XML is no location and no refusal.
        let broken = with_xmp(&cups, "<x:xmpmeta><rdf:RDF><exif:GPSLatitude></x:xmpmeta>");
        assert!(!inspect(&broken).unwrap().has_location());
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        let bomb = png_header(20_000, 20_000);
        let reason = refusal(&bomb);
        assert!(
            reason.contains("20000x20000") && reason.contains("100 megapixel"),
            "{reason}"
        );
        // Just under the limit is accepted (the header is all inspect reads).
        assert!(inspect(&png_header(10_000, 10_000)).is_ok());
    }

    #[test]
    fn a_panorama_too_narrow_for_renditions_is_refused() {
        let reason = refusal(&png_header(400, 100_000));
        assert!(reason.contains("too tall and narrow"), "{reason}");
    }

    #[test]
    fn files_over_the_size_limit_are_refused() {
        assert!(check_file_size(MAX_FILE_BYTES).is_ok());
        let reason = check_file_size(MAX_FILE_BYTES + 1).expect_err("too big");
        assert!(reason.contains("100 MB limit"), "{reason}");
        assert!(check_file_size(0).is_err());
        assert!(check_pixel_count(10_000, 10_000).is_ok());
        assert!(check_pixel_count(10_000, 10_001).is_err());
        assert!(check_pixel_count(0, 10).is_err());
    }

    #[test]
    fn a_truncated_jpeg_is_refused_by_render() {
        let boats = photo("boats.jpg");
        let half = &boats[..boats.len() / 2];
        let inspected = inspect(half).expect("the header is intact");
        let reason = render(half, &inspected, &|_| {})
            .err()
            .expect("render refuses");
        assert!(
            reason.starts_with("the image data is truncated or corrupt ("),
            "{reason}"
        );
    }

    #[test]
    fn damaged_files_never_panic() {
        // A small JPEG and PNG, cut and scribbled on in many places: every
        // call must return, Ok or Err.
        let picture =
            image::RgbImage::from_fn(96, 64, |x, y| image::Rgb([x as u8 * 2, y as u8 * 3, 77]));
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 80)
            .encode(picture.as_raw(), 96, 64, jpeg_encoder::ColorType::Rgb)
            .expect("jpeg");
        let png = encode_png(picture);
        for original in [jpeg, png] {
            for cut in (0..original.len()).step_by(97) {
                if let Ok(inspected) = inspect(&original[..cut]) {
                    let _ = render(&original[..cut], &inspected, &|_| {});
                }
            }
            for at in (2..original.len()).step_by(61) {
                let mut damaged = original.clone();
                damaged[at] ^= 0x5A;
                if let Ok(inspected) = inspect(&damaged) {
                    let _ = render(&damaged, &inspected, &|_| {});
                }
            }
        }
    }

    // -- ThumbHash -------------------------------------------------------------------

    #[test]
    fn thumbhash_decodes_to_the_right_shape() {
        for (name, ratio) in [("boats.jpg", 1.6), ("kay-portrait.png", 1080.0 / 1920.0)] {
            let (_, rendered) = rendered(name);
            let hash = base64::engine::general_purpose::STANDARD
                .decode(&rendered.thumbhash)
                .expect("base64");
            let (w, h, rgba) = thumbhash::thumb_hash_to_rgba(&hash).expect("thumbhash decodes");
            assert_eq!(rgba.len(), w * h * 4);
            let decoded_ratio = w as f64 / h as f64;
            assert!(
                (decoded_ratio / ratio - 1.0).abs() < 0.15,
                "{name}: {w}x{h} for {ratio}"
            );
        }
    }
}
