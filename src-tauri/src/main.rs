//! Liveline's desktop shell: opens the core on the database the CLI shares,
//! registers the commands (src/commands.rs), and turns the core's change
//! notices, and writes other processes make, into `changed` events.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod webview;

use std::sync::Arc;
use std::time::Duration;

use commands::Core;
use liveline::app::{App, Changed};
use tauri::{Emitter, Manager};

/// How often the app looks for writes by other processes (the CLI).
const WATCH_EVERY: Duration = Duration::from_millis(1000);

fn main() {
    tauri::Builder::default()
        // A second launch focuses the running window instead of opening
        // the same database twice.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(
            tauri_plugin_log::Builder::default()
                .level(log::LevelFilter::Info)
                .build(),
        )
        .setup(|app| {
            // LIVELINE_DB, as for the CLI, else the shared default.
            let db = std::env::var_os("LIVELINE_DB")
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from)
                .unwrap_or_else(liveline::default_db_path);
            let handle = app.handle().clone();
            let core = App::open(&db, move |changed| {
                let _ = handle.emit("changed", changed);
            })?;
            let mut watch = core.watch_external()?;
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(WATCH_EVERY);
                match watch.poll() {
                    Ok(true) => {
                        let anything = Changed {
                            blog: None,
                            entry: None,
                        };
                        let _ = handle.emit("changed", anything);
                    }
                    Ok(false) => {}
                    Err(e) => log::warn!("cannot watch the database: {e}"),
                }
            });
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            log::info!("database {}", db.display());
            app.manage(Core(Arc::new(core)));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_blogs,
            commands::create_blog,
            commands::end_blog,
            commands::create_demo_blog,
            commands::timeline,
            commands::timeline_row,
            commands::get_entry,
            commands::add_entry,
            commands::edit_entry,
            commands::autosave_entry,
            commands::entry_history,
            commands::restore_revision,
            commands::submit_entry,
            commands::publish_entry,
            commands::retract_entry,
            commands::return_entry,
            commands::delete_entry,
            commands::set_pinned,
            commands::set_key_event,
            commands::move_entry,
            commands::import_photo,
            commands::import_photo_data,
            commands::edit_photo,
            commands::photo_preview,
            commands::publish_settings,
            commands::publish_blog,
            commands::open_reader,
        ])
        .run(tauri::generate_context!())
        .expect("the Liveline window could not start");
}
