//! Shared by the `fuzz_*` and `huge_input` tests (included with
//! `#[path = "fuzz/support.rs"] mod support;`): case counts, the committed
//! corpora, a hang watchdog, and child processes whose memory is bounded
//! (`RLIMIT_AS`) and measured (`VmHWM`).
//!
//! Environment:
//!
//! - `LIVELINE_FUZZ_CASES=N` runs every property with N random cases
//!   instead of its default; `LIVELINE_FUZZ_SCALE=K` multiplies the
//!   defaults instead (a longer local run: `LIVELINE_FUZZ_SCALE=50`).
//! - `LIVELINE_FUZZ_HANG_SECS=S` (default 120) is how long one case may run
//!   before the watchdog calls it a hang and aborts the test binary, naming
//!   the case. It is a liveness check, not a speed check: the slowest case
//!   takes about a second in a debug build.

#![allow(dead_code)] // each test binary uses its own part of this file

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use proptest::test_runner::Config;

/// The number of random cases for a property whose default is `default`.
pub fn cases(default: u32) -> u32 {
    if let Some(n) = env_u32("LIVELINE_FUZZ_CASES") {
        return n;
    }
    default.saturating_mul(env_u32("LIVELINE_FUZZ_SCALE").unwrap_or(1).max(1))
}

fn env_u32(name: &str) -> Option<u32> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a number")),
    )
}

/// A proptest configuration with [`cases`] random cases. Failures are saved
/// next to the test file (`tests/NAME.proptest-regressions`, committed) and
/// replayed first on every run; shrinking is bounded so that a failure is
/// reported within minutes.
pub fn config(default_cases: u32) -> Config {
    Config {
        cases: cases(default_cases),
        max_shrink_time: 120_000,
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// The committed corpus `tests/fuzz/corpus/<kind>/`, file name and bytes,
/// sorted by name. An empty or missing corpus is a broken checkout.
pub fn corpus(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir(kind);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .filter(|(name, _)| !name.starts_with('.') && name != "README.md")
        .collect();
    files.sort();
    assert!(!files.is_empty(), "corpus {} is empty", dir.display());
    files
}

pub fn corpus_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(kind)
}

// ---------------------------------------------------------------------------
// Hang watchdog
// ---------------------------------------------------------------------------

type Running = Mutex<HashMap<ThreadId, (Instant, String)>>;

fn running() -> &'static Running {
    static RUNNING: OnceLock<Running> = OnceLock::new();
    RUNNING.get_or_init(|| {
        let limit = Duration::from_secs(env_u32("LIVELINE_FUZZ_HANG_SECS").unwrap_or(120).into());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            let Some(running) = RUNNING.get() else {
                continue;
            };
            let running = running.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, what)) = running.values().find(|(start, _)| start.elapsed() > limit) {
                eprintln!(
                    "HANG: one case ran for more than {}s (LIVELINE_FUZZ_HANG_SECS); \
                     aborting. The case: {what}",
                    limit.as_secs()
                );
                std::process::abort();
            }
        });
        Mutex::new(HashMap::new())
    })
}

/// Marks one case as running on this thread until the guard is dropped. If
/// it runs past the hang limit, the process is aborted with `what` on stderr.
pub struct Case;

pub fn case(what: String) -> Case {
    let text = what;
    running()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(std::thread::current().id(), (Instant::now(), text));
    Case
}

impl Drop for Case {
    fn drop(&mut self) {
        running()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&std::thread::current().id());
    }
}

/// A short, printable view of an input for messages.
pub fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]);
    format!("{} bytes: {:?}...", bytes.len(), text)
}

// ---------------------------------------------------------------------------
// Memory: limits and measurements
// ---------------------------------------------------------------------------

/// This process's peak resident set (`VmHWM` in /proc/self/status), KiB.
pub fn peak_rss_kib() -> u64 {
    status_field("VmHWM:")
}

/// This process's peak virtual size (`VmPeak`), KiB.
pub fn peak_virtual_kib() -> u64 {
    status_field("VmPeak:")
}

fn status_field(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// Caps this process's address space: an allocation past it fails (and
/// Rust aborts) instead of the machine swapping.
pub fn limit_address_space(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct it is given and nothing else.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    assert_eq!(rc, 0, "setrlimit: {}", std::io::Error::last_os_error());
}

/// Set in the child by [`run_child`]: the name of the test it must run.
const CHILD_ENV: &str = "LIVELINE_FUZZ_CHILD";
/// The line a child prints so that the parent learns its peak memory.
const PEAK_MARKER: &str = "liveline-child-peak-rss-kib=";

/// True in the child process started by [`run_child`] for `test`.
pub fn is_child(test: &str) -> bool {
    std::env::var(CHILD_ENV).is_ok_and(|v| v == test)
}

/// In a child: report this process's peak RSS to the parent.
pub fn report_peak() {
    println!("{PEAK_MARKER}{}", peak_rss_kib());
}

pub struct ChildRun {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// As reported by the child with [`report_peak`].
    pub peak_rss_kib: Option<u64>,
}

impl ChildRun {
    /// The child passed its test; else fail with everything it printed.
    pub fn assert_passed(&self, what: &str) {
        assert!(
            self.status.success() && self.stdout.contains("test result: ok. 1 passed"),
            "{what}: the child process failed ({}).\n--- stdout\n{}\n--- stderr\n{}",
            describe_status(&self.status),
            tail(&self.stdout),
            tail(&self.stderr)
        );
    }

    pub fn peak_mib(&self) -> f64 {
        self.peak_rss_kib
            .unwrap_or_else(|| panic!("the child reported no peak RSS:\n{}", self.stdout))
            as f64
            / 1024.0
    }
}

fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(20_000);
    let start = (start..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[start..]
}

fn describe_status(status: &ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(libc::SIGABRT)) => {
            "killed by SIGABRT: an allocation past the memory limit, or the hang watchdog"
                .to_string()
        }
        (None, Some(libc::SIGSEGV)) => "killed by SIGSEGV".to_string(),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => "no exit status".to_string(),
    }
}

/// Runs test `test` (its full path, e.g. `mutated_photos_import_or_refuse`)
/// of this test binary again in a child process with `env` set, and waits
/// for it. The test, seeing [`is_child`], does the work (after
/// [`limit_address_space`]) and calls [`report_peak`].
pub fn run_child(test: &str, env: &[(&str, &str)]) -> ChildRun {
    let exe = std::env::current_exe().expect("the test binary");
    let mut cmd = Command::new(exe);
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, test)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the child process starts");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let peak_rss_kib = stdout
        .lines()
        .rev()
        .filter_map(|l| l.find(PEAK_MARKER).map(|at| &l[at + PEAK_MARKER.len()..]))
        .find_map(|v| v.trim().parse().ok());
    ChildRun {
        status: out.status,
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        peak_rss_kib,
    }
}

/// A finished command and its own peak RSS (from `wait4`, so other
/// processes this test binary runs at the same time do not count).
pub struct Measured {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub max_rss_kib: u64,
}

/// Runs `cmd` with `stdin` (a file) as its standard input, collecting its
/// output, and measures its peak RSS.
///
/// Linux counts in a process's peak RSS the memory of the process that
/// started it, as it was when it started it (the child shares or copies
/// that memory until it runs the new program, and the peak survives
/// `exec`). So the figure is only the command's own when the process that
/// calls this is small: call it from a child made by [`run_child`], not
/// from a test binary whose other tests hold hundreds of MB.
pub fn run_measured(mut cmd: Command, stdin: Option<std::fs::File>) -> Measured {
    use std::os::unix::process::ExitStatusExt;
    cmd.stdin(match stdin {
        Some(file) => Stdio::from(file),
        None => Stdio::null(),
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the command starts");
    let pid = child.id() as libc::pid_t;
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().unwrap()));
    let stderr = read_all(Box::new(child.stderr.take().unwrap()));
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it and `status`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4: {}", std::io::Error::last_os_error());
    // The child is reaped; `Child` is dropped without waiting again.
    drop(child);
    Measured {
        status: ExitStatus::from_raw(status),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: usage.ru_maxrss as u64,
    }
}
