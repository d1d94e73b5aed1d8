//! libFuzzer target: `khabar::fuzzing::subscriptions` (see that module for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    khabar::fuzzing::subscriptions(data);
});
