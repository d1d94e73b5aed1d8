//! A real Miniflux for tests: PostgreSQL on 127.0.0.1 (a fresh database per
//! server), the Debian-packaged Miniflux binary that `.ci/miniflux.sh` installs,
//! an ephemeral port, and a tiny HTTP/1.0 client for its API. A loopback proxy
//! can answer 500 or stall in front of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub const ADMIN: &str = "admin";
/// The admin's password in every test server (the template database holds it).
pub const PASSWORD: &str = "pw-khabar-Zq7-test";

/// The migrated database of `version` with its admin, made once per machine and
/// copied for each server. Made under a lock: test binaries run at once.
fn template(version: &str, bin: &Path) -> Result<String, String> {
    static MADE: Mutex<()> = Mutex::new(());
    let _guard = MADE.lock().unwrap_or_else(|e| e.into_inner());
    let name = format!("khabar_tpl_{}", version.replace(['.', '-', '+', '~'], "_"));
    let exists = |name: &str| {
        psql_db(
            "postgres",
            &format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        )
        .is_some_and(|out| out == "1")
    };
    if exists(&name) {
        return Ok(name);
    }
    let building = format!("{name}_new{}", std::process::id());
    psql(&format!("DROP DATABASE IF EXISTS {building}"));
    if !psql(&format!("CREATE DATABASE {building}")) {
        return Err(format!("cannot create database {building}"));
    }
    let mut server = Miniflux {
        child: None,
        bin: bin.to_path_buf(),
        version: version.to_string(),
        port: free_port(),
        db: building.clone(),
        password: PASSWORD.to_string(),
        log: std::env::temp_dir().join(format!("{building}.log")),
    };
    let launched = server.launch();
    server.stop();
    // Not dropped as a server: that would drop the database.
    let server = std::mem::ManuallyDrop::new(server);
    let _ = std::fs::remove_file(&server.log);
    launched?;
    // Another process may have won the race meanwhile: then ours is dropped.
    if !psql(&format!("ALTER DATABASE {building} RENAME TO {name}")) {
        psql(&format!("DROP DATABASE IF EXISTS {building}"));
        if !exists(&name) {
            return Err(format!("cannot make the template database {name}"));
        }
    }
    Ok(name)
}

fn install_dir() -> PathBuf {
    std::env::var_os("KHABAR_MINIFLUX_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/tmp/khabar-miniflux"))
}

/// The binary of the newest installed `series` ("2.2" or "2.3").
fn binary(series: &str) -> Option<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(install_dir())
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            let bin = entry.path().join("usr/bin/miniflux");
            (name.starts_with(&format!("{series}.")) && bin.is_file()).then_some((name, bin))
        })
        .collect();
    found.sort();
    found.pop()
}

fn psql(sql: &str) -> bool {
    Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-U",
            "khabar",
            "-d",
            "postgres",
            "-qtAc",
            sql,
        ])
        .env("PGPASSWORD", "khabar")
        .env("PGCONNECT_TIMEOUT", "5")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .status()
        .map(|status| status.success())
        .unwrap_or(false)
}

fn psql_db(db: &str, sql: &str) -> Option<String> {
    let out = Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "khabar", "-d", db, "-qtAc", sql])
        .env("PGPASSWORD", "khabar")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs `.ci/miniflux.sh all` once per test process when the binary or
/// PostgreSQL is missing (a developer's machine; CI runs it before the tests).
fn ensure_installed(series: &str) -> Result<(String, PathBuf), String> {
    static TRIED: Mutex<bool> = Mutex::new(false);
    if let Some(found) = binary(series).filter(|_| psql("SELECT 1")) {
        return Ok(found);
    }
    let mut tried = TRIED.lock().unwrap_or_else(|e| e.into_inner());
    if !*tried {
        *tried = true;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/miniflux.sh");
        let status = Command::new("flock")
            .arg("/tmp/khabar-miniflux-install.lock")
            .arg("bash")
            .arg(&script)
            .arg("all")
            .status();
        eprintln!("ran {} all: {status:?}", script.display());
    }
    let found = binary(series)
        .ok_or_else(|| format!("no Miniflux {series}.x under {}", install_dir().display()))?;
    if !psql("SELECT 1") {
        return Err("PostgreSQL on 127.0.0.1 with role khabar is not reachable".into());
    }
    Ok(found)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// A running Miniflux with its own database.
pub struct Miniflux {
    child: Option<Child>,
    bin: PathBuf,
    pub version: String,
    pub port: u16,
    pub db: String,
    pub password: String,
    log: PathBuf,
}

/// Starts a Miniflux of `series`, or prints a loud message and returns `None`
/// when none can be started here.
pub fn start(series: &str) -> Option<Miniflux> {
    match Miniflux::start(series) {
        Ok(server) => Some(server),
        Err(why) => {
            // CI sets this: there the server must start, never be skipped.
            if std::env::var_os("KHABAR_REQUIRE_MINIFLUX").is_some() {
                panic!("cannot start a real Miniflux {series}: {why}");
            }
            eprintln!(
                "\n!!!!!!!! SKIPPED: cannot start a real Miniflux {series}: {why}\n\
                 !!!!!!!! run `bash .ci/miniflux.sh all` (as root) to install it\n"
            );
            None
        }
    }
}

impl Miniflux {
    fn start(series: &str) -> Result<Miniflux, String> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let (version, bin) = ensure_installed(series)?;
        let template = template(&version, &bin)?;
        let db = format!(
            "khabar_t{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            series.replace('.', "")
        );
        // A copy of a migrated database: a new server starts in a second instead
        // of running Miniflux's migrations every time.
        if !psql(&format!("CREATE DATABASE {db} TEMPLATE {template}")) {
            return Err(format!("cannot create database {db}"));
        }
        let log = std::env::temp_dir().join(format!("{db}.log"));
        let mut server = Miniflux {
            child: None,
            bin,
            version,
            port: free_port(),
            db,
            password: PASSWORD.to_string(),
            log,
        };
        server.launch()?;
        Ok(server)
    }

    fn launch(&mut self) -> Result<(), String> {
        let log = std::fs::File::create(&self.log).map_err(|e| e.to_string())?;
        let child = Command::new(&self.bin)
            .env(
                "DATABASE_URL",
                format!(
                    "postgres://khabar:khabar@127.0.0.1/{}?sslmode=disable",
                    self.db
                ),
            )
            .env("RUN_MIGRATIONS", "1")
            .env("CREATE_ADMIN", "1")
            .env("ADMIN_USERNAME", ADMIN)
            .env("ADMIN_PASSWORD", &self.password)
            .env("LISTEN_ADDR", format!("127.0.0.1:{}", self.port))
            .env("POLLING_FREQUENCY", "1440")
            .env("FETCHER_ALLOW_PRIVATE_NETWORKS", "1")
            .env("WORKER_POOL_SIZE", "2")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.bin.display()))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok((200, _)) = http(self.port, "GET", "/healthcheck", None, None) {
                return Ok(());
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                let text = std::fs::read_to_string(&self.log).unwrap_or_default();
                return Err(format!("Miniflux exited ({status}): {text}"));
            }
            thread::sleep(Duration::from_millis(100));
        }
        Err("Miniflux did not answer /healthcheck within 60 s".into())
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the server (the database stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and database.
    pub fn restart(&mut self) {
        self.launch().expect("Miniflux restarts");
    }

    fn auth(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{ADMIN}:{}", self.password))
    }

    /// Calls the API as the admin; panics on a transport error.
    pub fn api(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        http(self.port, method, path, body, Some(&self.auth())).expect("Miniflux answers")
    }

    pub fn json(&self, method: &str, path: &str, body: Option<&str>) -> serde_json::Value {
        let (status, text) = self.api(method, path, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {text}"
        );
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    /// Subscribes (Miniflux fetches the feed at once); returns the feed id.
    pub fn subscribe(&self, feed_url: &str) -> i64 {
        let categories = self.json("GET", "/v1/categories", None);
        let category = categories[0]["id"].as_i64().unwrap();
        let body = format!(r#"{{"feed_url":"{feed_url}","category_id":{category}}}"#);
        self.json("POST", "/v1/feeds", Some(&body))["feed_id"]
            .as_i64()
            .unwrap()
    }

    pub fn refresh_feed(&self, id: i64) {
        let (status, text) = self.api("PUT", &format!("/v1/feeds/{id}/refresh"), None);
        assert!((200..300).contains(&status), "{status} {text}");
    }

    /// Every entry: (id, title, read, starred).
    pub fn entries(&self) -> Vec<(i64, String, bool, bool)> {
        let mut all = Vec::new();
        let mut offset = 0;
        loop {
            let page = self.json(
                "GET",
                &format!("/v1/entries?order=id&direction=asc&limit=1000&offset={offset}"),
                None,
            );
            let entries = page["entries"].as_array().cloned().unwrap_or_default();
            for e in &entries {
                all.push((
                    e["id"].as_i64().unwrap(),
                    e["title"].as_str().unwrap_or("").to_string(),
                    e["status"].as_str() != Some("unread"),
                    e["starred"].as_bool().unwrap_or(false),
                ));
            }
            offset += entries.len();
            if entries.len() < 1000 {
                return all;
            }
        }
    }

    pub fn entry_id(&self, title: &str) -> i64 {
        self.entries()
            .into_iter()
            .find(|e| e.1 == title)
            .unwrap_or_else(|| panic!("no entry {title}"))
            .0
    }

    pub fn set_read(&self, ids: &[i64], read: bool) {
        let status = if read { "read" } else { "unread" };
        let body = format!(r#"{{"entry_ids":{ids:?},"status":"{status}"}}"#);
        let (code, text) = self.api("PUT", "/v1/entries", Some(&body));
        assert!((200..300).contains(&code), "{code} {text}");
    }

    /// Stars through the per-entry toggle, which every version has.
    pub fn set_starred(&self, id: i64, starred: bool) {
        let now = self.entries().into_iter().find(|e| e.0 == id).unwrap().3;
        if now != starred {
            let (code, text) = self.api("PUT", &format!("/v1/entries/{id}/bookmark"), None);
            assert!((200..300).contains(&code), "{code} {text}");
        }
    }

    /// Turns on the Google Reader API for the admin (same password).
    pub fn enable_greader(&self) {
        psql_db(
            &self.db,
            &format!(
                "UPDATE integrations SET googlereader_enabled='t', \
                 googlereader_username='{ADMIN}', \
                 googlereader_password=(SELECT password FROM users WHERE username='{ADMIN}')"
            ),
        )
        .expect("integration enabled");
    }

    /// An API token for the admin, inserted as `api_keys` row.
    pub fn create_token(&self) -> String {
        let token = format!("tok{}x{}", std::process::id(), self.port);
        psql_db(
            &self.db,
            &format!(
                "INSERT INTO api_keys (user_id, token, description) \
                 SELECT id, '{token}', 'khabar test' FROM users WHERE username='{ADMIN}'"
            ),
        )
        .expect("token inserted");
        token
    }

    /// Runs SQL on the server's database; its output.
    pub fn sql(&self, sql: &str) -> String {
        psql_db(&self.db, sql).unwrap_or_else(|| panic!("SQL failed: {sql}"))
    }

    /// Runs Miniflux's own cleanup (`-run-cleanup-tasks`) on its database, with
    /// entries older than a day archived: 2.3 deletes them, 2.2 marks them
    /// `removed`. Entries are made old first (their `created_at`), except those
    /// in `keep`.
    pub fn run_cleanup(&self, keep: &[i64]) {
        let keep = if keep.is_empty() {
            "0".to_string()
        } else {
            keep.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        self.sql(&format!(
            "UPDATE entries SET created_at = now() - interval '3 days' WHERE id NOT IN ({keep})"
        ));
        let out = Command::new(&self.bin)
            .arg("-run-cleanup-tasks")
            .env(
                "DATABASE_URL",
                format!(
                    "postgres://khabar:khabar@127.0.0.1/{}?sslmode=disable",
                    self.db
                ),
            )
            .env("CLEANUP_ARCHIVE_READ_DAYS", "1")
            .env("CLEANUP_ARCHIVE_UNREAD_DAYS", "1")
            .output()
            .expect("miniflux -run-cleanup-tasks runs");
        assert!(
            out.status.success(),
            "cleanup failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops the server and starts the newest installed `series` on the same
    /// database and port (its migrations run): an upgrade (or downgrade).
    pub fn switch_to(&mut self, series: &str) {
        let (version, bin) = binary(series).expect("the other series is installed");
        self.stop();
        self.bin = bin;
        self.version = version;
        self.launch().expect("the other version starts");
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Miniflux {
    fn drop(&mut self) {
        self.stop();
        psql(&format!("DROP DATABASE IF EXISTS {}", self.db));
        let _ = std::fs::remove_file(&self.log);
    }
}

/// One HTTP/1.0 request (no keep-alive, no chunking): (status, body).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
    basic: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    // Generous: subscribing to a large feed on a loaded machine takes a while.
    stream.set_read_timeout(Some(Duration::from_secs(300)))?;
    let body = body.unwrap_or("");
    let auth = basic
        .map(|b| format!("Authorization: Basic {b}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// What the proxy does with the next requests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Forward,
    /// Answers 500 to everything.
    Fail,
    /// Never answers requests whose path contains the pattern set with
    /// [`Proxy::stall_on`]; forwards the others.
    Stall,
    /// Answers 500 to requests whose JSON body's `entry_ids` hold an id set with
    /// [`Proxy::refuse_ids`], as many times as set there (then forwards them).
    RefuseIds,
    /// Forwards requests whose path contains the pattern set with
    /// [`Proxy::delay_on`] that many milliseconds late; the others at once.
    Delay,
}

/// A loopback proxy in front of a server: one request per connection, forwarded
/// as HTTP/1.0 so the answer ends with the connection.
pub struct Proxy {
    pub port: u16,
    mode: Arc<Mutex<(Mode, String)>>,
    pub requests: Arc<AtomicUsize>,
    /// Every request line (`GET /v1/... HTTP/1.1`), in the order received.
    pub lines: Arc<Mutex<Vec<String>>>,
    pub failed: Arc<AtomicUsize>,
    /// Requests held without an answer in `Mode::Stall`.
    pub stalled: Arc<AtomicUsize>,
}

impl Proxy {
    pub fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(Mutex::new((Mode::Forward, String::new())));
        let requests = Arc::new(AtomicUsize::new(0));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(AtomicUsize::new(0));
        let stalled = Arc::new(AtomicUsize::new(0));
        let (m, r, l, f, st) = (
            mode.clone(),
            requests.clone(),
            lines.clone(),
            failed.clone(),
            stalled.clone(),
        );
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (m, r, l, f, st) = (m.clone(), r.clone(), l.clone(), f.clone(), st.clone());
                thread::spawn(move || {
                    let _ = proxy_one(client, upstream, &m, (&r, &l), &f, &st);
                });
            }
        });
        Proxy {
            port,
            mode,
            requests,
            lines,
            failed,
            stalled,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set(&self, mode: Mode) {
        self.mode.lock().unwrap().0 = mode;
    }

    pub fn stall_on(&self, pattern: &str) {
        *self.mode.lock().unwrap() = (Mode::Stall, pattern.to_string());
    }

    /// Refuses (500) requests marking any of `ids`, `times` times in all.
    pub fn delay_on(&self, pattern: &str, delay: Duration) {
        *self.mode.lock().unwrap() = (Mode::Delay, format!("{}:{pattern}", delay.as_millis()));
    }

    pub fn refuse_ids(&self, ids: &[i64], times: usize) {
        let list: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        *self.mode.lock().unwrap() = (Mode::RefuseIds, format!("{times}:{}", list.join(",")));
    }
}

/// Whether a `RefuseIds` pattern (`times:id,id`) refuses this request body.
fn refuses(body: &[u8], pattern: &str) -> bool {
    let Some((times, ids)) = pattern.split_once(':') else {
        return false;
    };
    if times.parse::<usize>().unwrap_or(0) == 0 {
        return false;
    }
    let refused: Vec<i64> = ids.split(',').filter_map(|id| id.parse().ok()).collect();
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["entry_ids"].as_array().cloned())
        .is_some_and(|list| {
            list.iter()
                .any(|id| id.as_i64().is_some_and(|id| refused.contains(&id)))
        })
}

fn proxy_one(
    mut client: TcpStream,
    upstream: u16,
    mode: &Mutex<(Mode, String)>,
    (requests, lines): (&AtomicUsize, &Mutex<Vec<String>>),
    failed: &AtomicUsize,
    stalled: &AtomicUsize,
) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let length: usize = text
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    client.read_exact(&mut body)?;
    let request_line = text.lines().next().unwrap_or("").to_string();
    lines.lock().unwrap().push(request_line.clone());
    requests.fetch_add(1, Ordering::SeqCst);
    let (current, pattern) = mode.lock().unwrap().clone();
    match current {
        Mode::Fail => {
            failed.fetch_add(1, Ordering::SeqCst);
            client.write_all(
                b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\nstorm",
            )?;
            return Ok(());
        }
        Mode::RefuseIds if refuses(&body, &pattern) => {
            failed.fetch_add(1, Ordering::SeqCst);
            let mut guard = mode.lock().unwrap();
            if let Some((times, ids)) = guard.1.split_once(':') {
                let left = times.parse::<usize>().unwrap_or(0).saturating_sub(1);
                guard.1 = format!("{left}:{ids}");
            }
            drop(guard);
            client.write_all(
                b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 7\r\nConnection: close\r\n\r\nrefused",
            )?;
            return Ok(());
        }
        Mode::Delay => {
            if let Some((ms, pattern)) = pattern.split_once(':')
                && request_line.contains(pattern)
            {
                thread::sleep(Duration::from_millis(ms.parse().unwrap_or(0)));
            }
        }
        Mode::Stall if request_line.contains(&pattern) => {
            stalled.fetch_add(1, Ordering::SeqCst);
            thread::sleep(Duration::from_secs(600));
            return Ok(());
        }
        _ => {}
    }
    let mut parts = request_line.splitn(3, ' ');
    let (method, path) = (parts.next().unwrap_or("GET"), parts.next().unwrap_or("/"));
    let mut forwarded = format!("{method} {path} HTTP/1.0\r\n");
    for line in text.lines().skip(1) {
        let lower = line.to_ascii_lowercase();
        if line.is_empty() || lower.starts_with("connection:") || lower.starts_with("keep-alive:") {
            continue;
        }
        forwarded.push_str(line);
        forwarded.push_str("\r\n");
    }
    forwarded.push_str("\r\n");
    let mut up = TcpStream::connect(("127.0.0.1", upstream))?;
    up.write_all(forwarded.as_bytes())?;
    up.write_all(&body)?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer)?;
    client.write_all(&answer)?;
    Ok(())
}
