//! Fuzz the whole parse → fix → diff pipeline: any input, every promise of
//! `tests/support/pipeline.rs` (a broken promise is a crash).
#![no_main]

#[path = "../../tests/support/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pipeline::check(data);
});
