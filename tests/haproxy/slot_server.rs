//! Small HTTP listeners on loopback standing in for a slot's container:
//! every request is answered `200` with the listener's name as the body,
//! and the first requests' heads are kept for the tests to read.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How many request heads a listener keeps (the first ones).
const HEADS_KEPT: usize = 64;

/// A listener on 127.0.0.1, stopped (and its thread joined) when dropped.
pub struct SlotServer {
    pub port: u16,
    heads: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SlotServer {
    /// Answers every request with `name`.
    pub fn start(name: &str) -> SlotServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let heads = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&heads);
        let body = name.to_string();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let body = body.clone();
                    let kept = Arc::clone(&kept);
                    std::thread::spawn(move || answer(stream, &body, &kept));
                }
            }
        });
        SlotServer {
            port,
            heads,
            stop,
            thread: Some(thread),
        }
    }

    /// The heads of the first requests received (request line and
    /// headers, CRLF-separated), in the order received.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// `127.0.0.1:PORT`, for a `STACK_SLOT_*` override.
    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

/// Reads one request head (bounded), keeps it in `heads` while there is
/// room, and answers it.
fn answer(mut stream: TcpStream, body: &str, heads: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    if let Ok(mut heads) = heads.lock() {
        if heads.len() < HEADS_KEPT {
            heads.push(String::from_utf8_lossy(&head).into_owned());
        }
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

impl Drop for SlotServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop up so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
