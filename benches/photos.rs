//! The cost of importing one photo: `inspect` plus `render` (decode once,
//! five widths in JPEG and WebP, ThumbHash). `bench/photos.sh` times the whole import and the same
//! work done with one vipsthumbnail call per rendition, for comparison.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use liveline::photos::pipeline::{inspect, render};

const PHOTOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/photos/");

fn inspect_and_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("inspect_and_render");
    // Each run takes a quarter to half a second: ten flat samples of a few
    // runs each fit in the measurement time without criterion warning.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
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
