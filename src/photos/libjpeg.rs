//! JPEG pixels through libjpeg-turbo's code (the `mozjpeg` crate builds it
//! from source with a C compiler; no system library, no assembler needed).
//!
//! Why not jpeg-decoder for everything: on the 14.7 MP progressive test photo
//! libjpeg decodes in ~265 ms against jpeg-decoder's ~340 ms, and it scales in
//! the DCT domain by any n/8 (jpeg-decoder only by 1/2, 1/4, 1/8), so a
//! 2560-wide photo is decoded straight to 2240 for the 2048 rendition.
//!
//! libjpeg reports damage as *warnings* and then invents the missing pixels
//! (a truncated file decodes "successfully" as grey). Liveline must refuse such
//! a file, so every warning but stray bytes between markers is an error here.
//! libjpeg's errors and those warnings unwind out of the C code (mozjpeg-sys
//! is built with `-fexceptions` for that); [`decode_rgb`] catches the unwind
//! and returns the message.

use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use mozjpeg_sys as ffi;

/// RGB pixels (gray photos expanded), at the smallest n/8 scale that is at
/// least `want_width` x `want_height`.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

pub fn decode_rgb(bytes: &[u8], want_width: u32, want_height: u32) -> Result<Pixels, String> {
    match catch_unwind(AssertUnwindSafe(|| {
        decode_unguarded(bytes, want_width, want_height)
    })) {
        Ok(result) => result,
        Err(payload) => Err(payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "libjpeg failed".to_string())),
    }
}

fn decode_unguarded(bytes: &[u8], want_width: u32, want_height: u32) -> Result<Pixels, String> {
    let decoder = mozjpeg::Decompress::with_err(strict_error_manager())
        .from_mem(bytes)
        .map_err(|e| e.to_string())?;
    let (width, height) = (decoder.width() as u32, decoder.height() as u32);
    let mut decoder = decoder;
    decoder.scale(scale_eighths(width, height, want_width, want_height));
    let mut started = decoder.rgb().map_err(|e| e.to_string())?;
    let (out_width, out_height) = (started.width() as u32, started.height() as u32);
    let rgb = started.read_scanlines::<u8>().map_err(|e| e.to_string())?;
    started.finish().map_err(|e| e.to_string())?;
    if rgb.len() != out_width as usize * out_height as usize * 3 {
        return Err("the pixel data is shorter than the image".to_string());
    }
    Ok(Pixels {
        width: out_width,
        height: out_height,
        rgb,
    })
}

/// The smallest n (1..=8) for which the image scaled by n/8 (libjpeg rounds
/// up) still covers the wanted size.
pub fn scale_eighths(width: u32, height: u32, want_width: u32, want_height: u32) -> u8 {
    let scaled = |size: u32, n: u32| (u64::from(size) * u64::from(n)).div_ceil(8);
    (1..=8u8)
        .find(|&n| {
            scaled(width, n.into()) >= u64::from(want_width)
                && scaled(height, n.into()) >= u64::from(want_height)
        })
        .unwrap_or(8)
}

fn strict_error_manager() -> ffi::jpeg_error_mgr {
    // SAFETY: jpeg_std_error only fills in the struct it is given; all-zero
    // is a valid starting value for this plain C struct of numbers, pointers
    // and optional function pointers.
    let mut manager: ffi::jpeg_error_mgr = unsafe { std::mem::zeroed() };
    unsafe { ffi::jpeg_std_error(&mut manager) };
    manager.error_exit = Some(fail);
    manager.emit_message = Some(warning_is_error);
    manager
}

extern "C-unwind" fn fail(cinfo: &mut ffi::jpeg_common_struct) {
    std::panic::resume_unwind(Box::new(message(cinfo)));
}

/// Level -1 is a warning (damaged data); higher levels are trace output.
extern "C-unwind" fn warning_is_error(cinfo: &mut ffi::jpeg_common_struct, level: c_int) {
    if level >= 0 {
        return;
    }
    // SAFETY: libjpeg calls this with its own, valid error manager.
    let code = unsafe { cinfo.err.as_ref() }.map_or(0, |err| err.msg_code);
    if code == ffi::JWRN_EXTRANEOUS_DATA as c_int {
        return; // junk between markers: the image itself is whole
    }
    std::panic::resume_unwind(Box::new(message(cinfo)));
}

fn message(cinfo: &mut ffi::jpeg_common_struct) -> String {
    // SAFETY: as above; format_message writes at most 80 bytes (JMSG_LENGTH_MAX).
    let format = unsafe { cinfo.err.as_ref() }.and_then(|err| err.format_message);
    let Some(format) = format else {
        return "libjpeg failed".to_string();
    };
    // The binding declares the buffer shared, but libjpeg writes into it.
    type WritesBuffer = unsafe extern "C-unwind" fn(&mut ffi::jpeg_common_struct, &mut [u8; 80]);
    // SAFETY: the same C function; only the Rust view of its second pointer
    // argument changes, from shared to exclusive.
    let format: WritesBuffer = unsafe { std::mem::transmute(format) };
    let mut buffer = [0u8; 80];
    unsafe { format(cinfo, &mut buffer) };
    let text = buffer.split(|&b| b == 0).next().unwrap_or_default();
    String::from_utf8_lossy(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/photos/");
        std::fs::read(format!("{path}{name}")).expect("test photo")
    }

    #[test]
    fn decodes_scaled_in_the_dct_domain() {
        let boats = decode_rgb(&photo("boats.jpg"), 2048, 1280).expect("boats");
        assert_eq!((boats.width, boats.height), (2240, 1400));
        assert_eq!(boats.rgb.len(), 2240 * 1400 * 3);
        let cups = decode_rgb(&photo("cups.jpg"), 640, 400).expect("progressive cups");
        assert_eq!((cups.width, cups.height), (640, 400));
    }

    #[test]
    fn damage_that_libjpeg_would_paper_over_is_an_error() {
        // Cut inside the scans: libjpeg alone would invent grey pixels.
        let cups = photo("cups.jpg");
        let reason = decode_rgb(&cups[..cups.len() * 3 / 5], 640, 400)
            .err()
            .expect("a truncated progressive file is refused");
        assert!(reason.contains("Premature end"), "{reason}");
        // Scribbled entropy-coded data.
        let mut boats = photo("boats.jpg");
        let middle = boats.len() / 2;
        boats[middle..middle + 4000].fill(0xFF);
        assert!(decode_rgb(&boats, 320, 200).is_err());
    }

    #[test]
    fn scale_is_the_smallest_eighth_that_covers_the_wanted_size() {
        assert_eq!(scale_eighths(5120, 2880, 2048, 1152), 4); // 2560 x 1440
        assert_eq!(scale_eighths(2560, 1600, 2048, 1280), 7); // 2240 x 1400
        assert_eq!(scale_eighths(2048, 1152, 2048, 1152), 8);
        assert_eq!(scale_eighths(8000, 100, 320, 4), 1);
        assert_eq!(scale_eighths(100, 100, 500, 500), 8); // never upscales
    }
}
