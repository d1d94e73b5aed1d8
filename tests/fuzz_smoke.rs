//! The fuzz targets of `khabar::fuzzing` on the stable toolchain: every saved
//! regression input (`fuzz/regressions/<target>/`) is replayed, then the seed
//! corpus (`fuzz/corpus/<target>/` and the test fixtures) is run and mutated by
//! a seeded mutator. A crash is written to `fuzz/regressions/<target>/` (so the
//! next `cargo test` replays it) and fails the test with its path.
//!
//! Budget: `KHABAR_FUZZ_ITERS` mutations per target (default 200). The count
//! is the bound, so every machine runs the same inputs; `KHABAR_FUZZ_SECS`
//! seconds per target (default 60) is only a guard for a very slow machine.
//! `.ci/run` sets a longer run. `KHABAR_FUZZ_SEED`
//! changes the seed (default fixed, so a failure reproduces). The coverage-
//! guided run with cargo-fuzz is described in the README.

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use khabar::fuzzing::TARGETS;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file());
    out.sort();
    out
}

/// Seed inputs for a target: its own corpus plus the fixtures of its kind.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let mut dirs = vec![root().join("fuzz/corpus").join(target)];
    match target {
        "feed" => dirs.push(root().join("tests/fixtures/feeds")),
        "html" => dirs.push(root().join("tests/fixtures/articles/fa-sanjnews-1")),
        _ => {}
    }
    let mut out: Vec<Vec<u8>> = dirs
        .iter()
        .flat_map(|d| files_in(d))
        .filter_map(|p| std::fs::read(p).ok())
        .map(|mut bytes| {
            // Large fixtures are cut: the mutator's work should go into variety.
            bytes.truncate(64 * 1024);
            bytes
        })
        .collect();
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

/// xorshift64*: small, seeded, good enough to choose mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Byte strings that hostile input is made of.
const TOKENS: &[&[u8]] = &[
    b"<div>",
    b"</div>",
    b"<blockquote>",
    b"<ol reversed start=\"-3\"><li>",
    b"<table><tr><td>",
    b"<a href=\"javascript:x\">",
    b"<![CDATA[",
    b"]]>",
    b"&amp;",
    b"&#xD800;",
    b"&#x110000;",
    b"&#0;",
    b"&",
    b"<",
    b"\x1b[31m",
    b"\x1b]52;c;AAAA\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xe2\x80\x8b",
    b"\xcc\x81",
    b"\xf3\xa0\x80\x81",
    b"\xd8\xa8\xd9\x90",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\n",
    b"\t",
    b"[[feed]]\nurl = \"",
    b"<outline xmlUrl=\"",
    b"\"",
    b"\\ud800",
    b"<item><title>",
    b"<entry><title type=\"html\">",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"(",
    b")",
    b" or ",
    b" -",
    b"tag:",
    b"after:",
    b"is:unread",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(7) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] = rng.next() as u8;
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(at..at, token.iter().copied());
            }
            2 if !input.is_empty() => {
                let end = (at + rng.below(64)).min(input.len());
                input.drain(at..end);
            }
            3 => {
                // Repeat a token many times (nesting, storms).
                let token = TOKENS[rng.below(TOKENS.len())];
                let times = 1 + rng.below(3000);
                let block: Vec<u8> = token.repeat(times);
                input.splice(at..at, block);
            }
            4 if !input.is_empty() => {
                // Duplicate a slice of the input.
                let start = rng.below(input.len());
                let end = (start + rng.below(256)).min(input.len());
                let slice = input[start..end].to_vec();
                input.splice(at..at, slice);
            }
            5 => {
                // Splice in part of another seed.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + rng.below(512)).min(other.len());
                    input.splice(at..at, other[start..end].iter().copied());
                }
            }
            _ => input.truncate(at),
        }
    }
    input.truncate(256 * 1024);
}

/// Runs `target` on `input`; a panic becomes the panic message.
fn run_one(target: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    std::panic::catch_unwind(AssertUnwindSafe(|| target(input))).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

fn save_crash(target: &str, input: &[u8]) -> PathBuf {
    let dir = root().join("fuzz/regressions").join(target);
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("crash-{}", &fnv_hex(input)[..16]);
    let path = dir.join(name);
    let _ = std::fs::write(&path, input);
    path
}

fn fnv_hex(input: &[u8]) -> String {
    // FNV-1a, 64 bits, twice with different offsets: a stable file name.
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for &byte in input {
        a = (a ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        b = (b ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
    }
    format!("{a:016x}{b:016x}")
}

#[test]
fn fuzz_regressions_replay() {
    let mut failures = Vec::new();
    for (name, target) in TARGETS {
        for path in files_in(&root().join("fuzz/regressions").join(name)) {
            let input = std::fs::read(&path).unwrap();
            if let Err(message) = run_one(*target, &input) {
                failures.push(format!("{}: {message}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "regressions fail:\n{}",
        failures.join("\n")
    );
}

#[test]
fn fuzz_targets_bounded_run() {
    // Quiet panics: the mutator reports them itself, with the saved input.
    std::panic::set_hook(Box::new(|_| {}));
    let iterations = env_number("KHABAR_FUZZ_ITERS", 200);
    let budget = Duration::from_secs(env_number("KHABAR_FUZZ_SECS", 60));
    let seed = env_number("KHABAR_FUZZ_SEED", 0x6b68_6162_6172);
    let mut failures = Vec::new();
    for (index, (name, target)) in TARGETS.iter().enumerate() {
        let corpus = seeds(name);
        let start = Instant::now();
        let mut rng = Rng(seed ^ ((index as u64 + 1) << 32) | 1);
        let mut runs = 0u64;
        for input in &corpus {
            if let Err(message) = run_one(*target, input) {
                failures.push(format!("{name}: seed: {message}"));
            }
        }
        while runs < iterations && start.elapsed() < budget {
            let mut input = corpus[rng.below(corpus.len())].clone();
            mutate(&mut rng, &mut input, &corpus);
            if let Err(message) = run_one(*target, &input) {
                let path = save_crash(name, &input);
                failures.push(format!("{name}: {message}\n  saved as {}", path.display()));
                break;
            }
            runs += 1;
        }
        println!("fuzz {name}: {} seeds, {runs} mutated inputs", corpus.len());
    }
    let _ = std::panic::take_hook();
    assert!(
        failures.is_empty(),
        "fuzzing found:\n{}",
        failures.join("\n")
    );
}
