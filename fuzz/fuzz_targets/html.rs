//! libFuzzer target: `khabar::fuzzing::html` (see that module for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    khabar::fuzzing::html(data);
});
