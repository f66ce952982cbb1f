//! Cost of the core's hot operations as a blog grows: 100, 10,000 and
//! 100,000 entries. Goal: flat, each well under 5 ms. Figures: docs/perf.md.
//!
//! Each size gets its own file database (WAL, synchronous=FULL, as shipped),
//! filled with `Store::demo`, so every write pays its real fsync.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use liveline::model::{ListQuery, NewEntry, Placement};
use liveline::Store;

const SIZES: [u64; 3] = [100, 10_000, 100_000];

fn blog_of(size: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("bench.db")).unwrap();
    store.demo("bench", size).unwrap();
    (dir, store)
}

fn draft(store: &mut Store) -> liveline::model::Entry {
    store
        .add_entry(
            "bench",
            NewEntry {
                title: "Bench update".into(),
                blocks: liveline::markdown::parse(
                    "A **short** update with [a link](https://example.org/).",
                )
                .unwrap(),
                author: Some("Bench".into()),
                ..Default::default()
            },
        )
        .unwrap()
}

fn store_ops(c: &mut Criterion) {
    let mut group = c.benchmark_group("store");
    group.sample_size(30);
    for size in SIZES {
        let (_dir, mut store) = blog_of(size);

        group.bench_with_input(BenchmarkId::new("add_entry", size), &size, |b, _| {
            b.iter(|| draft(&mut store));
        });

        group.bench_with_input(
            BenchmarkId::new("list_first_page_50", size),
            &size,
            |b, _| {
                b.iter(|| {
                    let page = store
                        .list_entries(
                            "bench",
                            ListQuery {
                                limit: 50,
                                ..Default::default()
                            },
                        )
                        .unwrap();
                    assert_eq!(page.len(), 50);
                    page
                });
            },
        );

        // Move one entry from the middle of the blog between top and bottom.
        let middle = store
            .list_entries(
                "bench",
                ListQuery {
                    limit: 1,
                    offset: size / 2,
                    ..Default::default()
                },
            )
            .unwrap()
            .remove(0);
        let mut to_top = true;
        group.bench_with_input(BenchmarkId::new("move_entry", size), &size, |b, _| {
            b.iter(|| {
                let placement = if to_top {
                    Placement::Top
                } else {
                    Placement::Bottom
                };
                to_top = !to_top;
                store.move_entry(middle.id, placement).unwrap()
            });
        });

        // Publish a fresh draft (first publication: status, time and a move to the top).
        group.bench_with_input(BenchmarkId::new("publish", size), &size, |b, _| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let id = draft(&mut store).id;
                    let started = Instant::now();
                    store.publish(id).unwrap();
                    timed += started.elapsed();
                }
                timed
            });
        });
    }
    group.finish();
}

fn demo_100k(c: &mut Criterion) {
    let mut group = c.benchmark_group("demo");
    group.sample_size(10);
    group.bench_function("demo_100000_entries", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open(dir.path().join("demo.db")).unwrap();
                (dir, store)
            },
            |(dir, mut store)| {
                store.demo("storm", 100_000).unwrap();
                (dir, store)
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, store_ops, demo_100k);
criterion_main!(benches);
