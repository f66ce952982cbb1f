//! WebKitGTK settings for the window, chosen for laptops with and without a
//! GPU.

use tauri::{Runtime, WebviewWindow};

/// Tunes the window's web view; a no-op outside Linux.
pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        // Without a GPU, WebKit composites through Mesa's software GL
        // (llvmpipe). Painting directly is cheaper: measured under Xvfb with
        // a 10,000-entry blog open, 90 MB less memory over the app's
        // processes and a Publish that shows its result 25% sooner
        // (docs/perf.md). With a GPU, WebKit's default stays.
        if has_render_node() {
            return;
        }
        let result = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        match result {
            Ok(()) => log::info!("no GPU render node: WebKit paints without compositing"),
            Err(e) => log::warn!("cannot set the web view's acceleration policy: {e}"),
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Whether the kernel offers a GPU render node (`/dev/dri/renderD*`), the
/// device WebKit's accelerated compositing would draw through.
#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|dir| {
            dir.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}
