//! libFuzzer target: `khabar::fuzzing::feed` (see that module for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    khabar::fuzzing::feed(data);
});
