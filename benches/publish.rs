//! Publishing a blog of 100 and 10,000 entries at page size 20 (figures in
//! docs/perf.md). Goals: a full publish of 10,000 entries under 1 s; a
//! republish after one edit under 50 ms, and within 2x of the same on a
//! 100-entry blog (its cost must not grow with the blog).
//!
//! Real file databases and real output folders, every file fsynced.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use liveline::model::{EntryEdit, ListQuery};
use liveline::publish::{publish, PublishRequest};
use liveline::Store;

const SIZES: [u64; 2] = [100, 10_000];

fn request(out: &Path) -> PublishRequest {
    PublishRequest {
        out_dir: Some(out.to_path_buf()),
        base_url: Some("https://news.example/live/".into()),
        page_size: Some(20),
    }
}

fn publishing(c: &mut Criterion) {
    let mut group = c.benchmark_group("publish");
    group.sample_size(10);
    for size in SIZES {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("bench.db")).unwrap();
        store.demo("bench", size).unwrap();

        group.bench_with_input(BenchmarkId::new("full", size), &size, |b, _| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for i in 0..iterations {
                    // A new folder each time: nothing to reuse.
                    let out = dir
                        .path()
                        .join(format!("full-{size}-{i}-{}", rand_suffix()));
                    let started = Instant::now();
                    publish(&mut store, "bench", request(&out), &|_| {}).unwrap();
                    total += started.elapsed();
                    std::fs::remove_dir_all(&out).unwrap();
                }
                total
            });
        });

        let out = dir.path().join("site");
        publish(&mut store, "bench", request(&out), &|_| {}).unwrap();
        let top = store
            .list_entries(
                "bench",
                ListQuery {
                    limit: 1,
                    ..Default::default()
                },
            )
            .unwrap()[0]
            .id;
        let mut edits = 0u64;
        group.bench_with_input(BenchmarkId::new("after_one_edit", size), &size, |b, _| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    edits += 1;
                    let edit = EntryEdit {
                        title: Some(format!("Edited title {edits}")),
                        ..Default::default()
                    };
                    store.edit_entry(top, edit).unwrap();
                    let started = Instant::now();
                    publish(&mut store, "bench", request(&out), &|_| {}).unwrap();
                    total += started.elapsed();
                }
                total
            });
        });
    }
    group.finish();
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

criterion_group!(benches, publishing);
criterion_main!(benches);
