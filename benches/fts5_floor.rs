//! The floor under the search index's share of a first refresh (issue 9's
//! "+30 %"): SQLite's FTS5 indexing exactly the rows khabar indexes, with
//! nothing else running (`khabar::store::search_floor`). The rows are made from
//! a database a first refresh wrote, then indexed `RUNS` times into a new
//! in-memory database each, in the refresh writer's batches, followed by the
//! merge a refresh ends with. Prints each run's CPU time of the indexing thread,
//! then the min and max.
//!
//! Run: `FTS5_FLOOR_DB=path/to/khabar.db cargo bench --bench fts5_floor`
//! (env `RUNS`, default 5; `BATCH`, rows per transaction, default the
//! refresh writer's). `bench/fts5_floor.sh` makes the database and sets
//! these figures beside the first refresh with and without the index.
//!
//! Not criterion: one run takes seconds, and the figure wanted is CPU time on a
//! shared machine, which criterion's wall-clock statistics do not give.

// Benchmark code: inputs are fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use khabar::refresh::BATCH_ITEMS;
use khabar::store::Store;
use khabar::store::search_floor::index_alone;

fn main() {
    let Some(db) = std::env::var_os("FTS5_FLOOR_DB").map(PathBuf::from) else {
        eprintln!("fts5_floor: set FTS5_FLOOR_DB to a database a first refresh made");
        return;
    };
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(5);
    // The refresh writer's batch unless `BATCH` says otherwise (to see what
    // fewer commits would leave).
    let batch: usize = std::env::var("BATCH")
        .ok()
        .and_then(|batch| batch.parse().ok())
        .unwrap_or(BATCH_ITEMS);
    let store = Store::open(&db).expect("open the database");
    let rows = store.index_rows().expect("read the items back");
    drop(store);
    println!("rows: {}, batch: {batch}", rows.len());
    let mut totals = Vec::new();
    for run in 1..=runs {
        let (cost, _) = index_alone(&rows, batch).expect("index the rows");
        let total = cost.insert_cpu + cost.merge_cpu;
        println!(
            "run {run}: tokens {} insert {:.3} s merge {:.3} s fts5-alone {:.3} s",
            cost.tokens,
            cost.insert_cpu.as_secs_f64(),
            cost.merge_cpu.as_secs_f64(),
            total.as_secs_f64()
        );
        totals.push(total.as_secs_f64());
    }
    totals.sort_by(f64::total_cmp);
    if let (Some(min), Some(max)) = (totals.first(), totals.last()) {
        println!("fts5-alone CPU: {min:.3}-{max:.3} s over {runs} runs");
    }
}
