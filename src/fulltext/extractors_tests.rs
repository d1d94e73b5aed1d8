//! Tests of `extractors.rs`: the pool, its held-back threads, and jobs
//! waiting for the network.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;

#[cfg(target_os = "linux")]
fn nice_of_this_thread() -> i32 {
    // SAFETY: as in `lower_priority`; errno is cleared first because -1 is
    // also a valid priority.
    unsafe {
        *libc::__errno_location() = 0;
        libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t)
    }
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn jobs_run_on_the_pool_at_a_lower_priority_and_return_their_result() {
    let pool = Extractors::start(2, 0, Arc::default());
    let caller = nice_of_this_thread();
    let (name, nice) = pool
        .run(|| {
            let name = std::thread::current().name().map(str::to_string);
            (name, nice_of_this_thread())
        })
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("khabar-extract"));
    assert_eq!(nice, (caller + EXTRACTION_NICE).min(MAX_NICE));
    // The caller's own thread is untouched.
    assert_eq!(nice_of_this_thread(), caller);
}

#[tokio::test]
async fn a_panicking_job_is_an_error_and_the_pool_goes_on() {
    let pool = Extractors::start(1, 0, Arc::default());
    let failed = pool.run(|| -> u32 { panic!("bad page") }).await;
    assert!(matches!(failed, Err(JobError::Panicked(ref m)) if m == "bad page"));
    assert_eq!(pool.run(|| 7).await.unwrap(), 7);
}

/// The most jobs that ran at once when `jobs` jobs of 20 ms were given
/// together.
async fn most_at_once(pool: &Extractors, jobs: usize) -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let runs = (0..jobs).map(|_| {
        let (running, most) = (running.clone(), most.clone());
        pool.run(move || {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(20));
            running.fetch_sub(1, Ordering::SeqCst);
        })
    });
    for result in futures_util::future::join_all(runs).await {
        result.unwrap();
    }
    most.load(Ordering::SeqCst)
}

#[tokio::test]
async fn a_held_thread_takes_jobs_only_while_let() {
    let pool = Extractors::start(3, 1, Arc::default());
    assert_eq!(most_at_once(&pool, 8).await, 2, "the held thread ran a job");
    pool.use_held(true);
    assert_eq!(
        most_at_once(&pool, 8).await,
        3,
        "the held thread stayed out"
    );
    pool.use_held(false);
    // It may already wait for the next job: that one it takes, then no more.
    most_at_once(&pool, 1).await;
    assert_eq!(
        most_at_once(&pool, 8).await,
        2,
        "the held thread did not stop"
    );
}

#[tokio::test]
async fn at_least_one_thread_is_never_held() {
    let pool = Extractors::start(1, 1, Arc::default());
    assert_eq!(pool.run(|| 5).await.unwrap(), 5);
}

#[test]
fn a_pool_dropped_with_a_thread_held_lets_it_end() {
    let pool = Extractors::start(2, 1, Arc::default());
    let gate = pool.held.clone();
    drop(pool);
    // The held thread holds the gate too; once it ends only this is left.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while Arc::strong_count(&gate) > 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the held thread never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Holds an answer "being read" on `network` for `for_how_long`, from
/// before this returns.
fn read_answer(
    network: &Arc<NetworkActivity>,
    for_how_long: std::time::Duration,
) -> std::thread::JoinHandle<()> {
    let (begun, has_begun) = std::sync::mpsc::channel();
    let network = network.clone();
    let reading = std::thread::spawn(move || {
        let _reading = network.sent().answered();
        begun.send(()).unwrap();
        std::thread::sleep(for_how_long);
    });
    has_begun.recv().unwrap();
    reading
}

// Bounds far from what is measured, so a loaded machine cannot fail them.
const LONG: std::time::Duration = std::time::Duration::from_secs(20);

#[tokio::test]
async fn a_job_waits_until_the_answer_being_read_is_read() {
    use std::time::{Duration, Instant};
    let network = Arc::new(NetworkActivity::default());
    let pool = Extractors::start_waiting(1, 0, network.clone(), LONG);
    let reading = read_answer(&network, Duration::from_millis(300));
    let given = Instant::now();
    let started = pool.run(Instant::now).await.unwrap();
    reading.join().unwrap();
    let waited = started - given;
    assert!(
        waited >= Duration::from_millis(250),
        "started after {waited:?}"
    );
    assert!(waited < LONG, "waited {waited:?}");
}

#[tokio::test]
async fn a_job_waits_no_longer_than_its_bound() {
    use std::time::{Duration, Instant};
    let network = Arc::new(NetworkActivity::default());
    let bound = Duration::from_millis(50);
    let pool = Extractors::start_waiting(1, 0, network.clone(), bound);
    let reading = read_answer(&network, Duration::from_secs(10));
    let given = Instant::now();
    let started = pool.run(Instant::now).await.unwrap();
    let waited = started - given;
    assert!(waited >= bound, "started after {waited:?}");
    assert!(
        waited < Duration::from_secs(8),
        "waited for the answer: {waited:?}"
    );
    drop(reading);
}

#[tokio::test]
async fn once_every_page_is_requested_jobs_do_not_wait_for_answers() {
    use std::time::{Duration, Instant};
    let network = Arc::new(NetworkActivity::default());
    let pool = Extractors::start_waiting(1, 0, network.clone(), LONG);
    let reading = read_answer(&network, Duration::from_secs(10));
    pool.all_requested();
    let given = Instant::now();
    let started = pool.run(Instant::now).await.unwrap();
    let waited = started - given;
    assert!(
        waited < Duration::from_secs(8),
        "waited for the answer: {waited:?}"
    );
    drop(reading);
}

#[tokio::test]
async fn a_job_foreseen_to_meet_an_expected_answer_waits_for_it() {
    use std::time::{Duration, Instant};
    let network = Arc::new(NetworkActivity::default());
    // Answers take at least 400 ms.
    let sent = network.sent();
    std::thread::sleep(Duration::from_millis(400));
    drop(sent.answered());
    let pool = Extractors::start_waiting(1, 0, network.clone(), LONG);
    let waiting = network.sent();
    let given = Instant::now();
    // 10 KB at 30 ns a byte (0.3 ms) ends long before the answer: at once.
    let small = pool.run_reading(10_000, Instant::now).await.unwrap();
    assert!(
        small - given < Duration::from_millis(150),
        "the small job waited {:?}",
        small - given
    );
    std::thread::sleep(Duration::from_millis(200));
    // 10 MB (300 ms) from 200 ms in would still run when the answer comes at 400.
    let large = pool.run_reading(10_000_000, Instant::now).await.unwrap();
    drop(waiting);
    assert!(
        large - given >= Duration::from_millis(400),
        "the large job started after {:?}",
        large - given
    );
    assert!(large - given < LONG);
}

#[tokio::test]
async fn many_jobs_at_once_all_come_back() {
    let pool = Extractors::start(2, 0, Arc::default());
    let results = futures_util::future::join_all((0..50u64).map(|i| pool.run(move || i * i))).await;
    let sum: u64 = results.into_iter().map(|r| r.unwrap()).sum();
    assert_eq!(sum, (0..50u64).map(|i| i * i).sum::<u64>());
}
