//! The cost of importing one photo: `inspect` plus `render` (decode once,
//! five widths in JPEG and WebP, ThumbHash). `bench/vips.sh` times the same
//! work done with one vipsthumbnail call per rendition, for comparison.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use liveline::photos::pipeline::{inspect, render};

const PHOTOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/photos/");

fn inspect_and_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("inspect_and_render");
    group.sample_size(10);
    // Ten beach-5k runs take about 5.5 s; leave room so criterion does not warn.
    group.measurement_time(Duration::from_secs(10));
    for name in ["beach-5k", "boats"] {
        let path = format!("{PHOTOS}{name}.jpg");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        group.bench_function(name, |b| {
            b.iter(|| {
                let inspected = inspect(&bytes).expect("inspect");
                render(&bytes, &inspected, &|_| {}).expect("render")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, inspect_and_render);
criterion_main!(benches);
