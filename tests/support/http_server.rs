//! A small HTTP/1.1 server on 127.0.0.1 for tests: routes answer with fixed
//! responses, can hang forever, and every request's headers are recorded.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What a route answers.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, extra headers, body.
    Fixed {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// 200 with ETag and Last-Modified; 304 when the request's validators match.
    Conditional {
        body: Vec<u8>,
        etag: String,
        last_modified: String,
    },
    /// Accepts the connection and never answers.
    Hang,
    /// Another reply after a delay (network latency).
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>, content_type: &str) -> Reply {
        Reply::Fixed {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Fixed {
            status,
            headers: vec![],
            body: format!("status {status}").into_bytes(),
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Fixed {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    /// Header names lowercased.
    pub headers: HashMap<String, String>,
    /// Which TCP connection it came on: 0 for the first one accepted, and so on.
    pub connection: usize,
}

pub struct TestServer {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let (r, s) = (routes.clone(), seen.clone());
        thread::spawn(move || {
            for (connection, stream) in listener.incoming().flatten().enumerate() {
                let (r, s) = (r.clone(), s.clone());
                thread::spawn(move || serve_connection(stream, connection, &r, &s));
            }
        });
        TestServer { port, routes, seen }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    pub fn request_count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    pub fn requests_to(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }
}

fn serve_connection(
    stream: TcpStream,
    connection: usize,
    routes: &Mutex<HashMap<String, Reply>>,
    seen: &Mutex<Vec<Seen>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
            }
        }
        if let Some(len) = headers
            .get("content-length")
            .and_then(|l| l.parse::<usize>().ok())
        {
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
        }
        seen.lock().unwrap().push(Seen {
            path: path.clone(),
            headers: headers.clone(),
            connection,
        });
        let mut reply = routes.lock().unwrap().get(&path).cloned();
        while let Some(Reply::Delayed(delay, inner)) = reply {
            thread::sleep(delay);
            reply = Some(*inner);
        }
        let (status, extra, body) = match reply {
            None => (404, vec![], b"not found".to_vec()),
            Some(Reply::Delayed(..)) => unreachable!("unwrapped above"),
            Some(Reply::Hang) => {
                thread::sleep(Duration::from_secs(3600));
                return;
            }
            Some(Reply::Fixed {
                status,
                headers,
                body,
            }) => (status, headers, body),
            Some(Reply::Conditional {
                body,
                etag,
                last_modified,
            }) => {
                let validators = vec![
                    ("ETag".to_string(), etag.clone()),
                    ("Last-Modified".to_string(), last_modified.clone()),
                    (
                        "Content-Type".to_string(),
                        "application/rss+xml".to_string(),
                    ),
                ];
                let matches = headers.get("if-none-match") == Some(&etag)
                    || headers.get("if-modified-since") == Some(&last_modified);
                if matches {
                    (304, validators, Vec::new())
                } else {
                    (200, validators, body)
                }
            }
        };
        let mut response = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in extra {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        if stream.write_all(response.as_bytes()).is_err() || stream.write_all(&body).is_err() {
            return;
        }
    }
}

/// Fetch limits for tests against this server: small, with short timeouts.
pub fn fetch_config() -> khabar::config::FetchConfig {
    khabar::config::FetchConfig {
        concurrency: 4,
        per_host: 4,
        connect_timeout_secs: 2,
        timeout_secs: 5,
        max_feed_bytes: 1024 * 1024,
        max_redirects: 10,
        user_agent: "khabar-test/1".into(),
    }
}
