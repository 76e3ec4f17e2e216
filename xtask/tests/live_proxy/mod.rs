//! A TCP proxy in front of a real Odoo server that breaks it on purpose after a number of HTTP
//! requests: the server stops (every connection closed, new ones refused), answers late, or a
//! proxy answers an HTML error page instead. It reads each request's head and `Content-Length`
//! body to count requests; answers are relayed byte for byte.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What goes wrong, and after how many requests: the first `n` pass untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Request `n + 1` closes every connection, and no new connection is accepted: the server
    /// stopped in the middle.
    Stop(usize),
    /// Requests after the first `n` reach the server `delay` late.
    Slow(usize, Duration),
    /// Requests after the first `n` get a 502 HTML page from "the proxy".
    Html(usize),
}

/// The HTML page of [`Fault::Html`], as nginx sends it.
pub const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The running proxy; dropping it stops it.
pub struct Proxy {
    url: String,
    requests: Arc<AtomicUsize>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Starts a proxy on `127.0.0.1:0` forwarding to `upstream` (`host:port`).
    pub fn start(upstream: &str, fault: Fault) -> Proxy {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let upstream = upstream.to_owned();
        let requests = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = watch::channel(false);
        let counter = Arc::clone(&requests);
        let stopper = stop.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(serve(
                std_listener,
                upstream,
                fault,
                counter,
                stopper,
                stopped,
            ));
            runtime.shutdown_background();
        });
        Proxy {
            url: format!("http://{addr}"),
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests received so far (the one that met the fault included).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    upstream: String,
    fault: Fault,
    requests: Arc<AtomicUsize>,
    stop: watch::Sender<bool>,
    mut stopped: watch::Receiver<bool>,
) {
    let listener = TcpListener::from_std(listener).unwrap();
    let watcher = stopped.clone();
    loop {
        tokio::select! {
            _ = stopped.wait_for(|s| *s) => break,
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { continue };
                let upstream = upstream.clone();
                let requests = Arc::clone(&requests);
                let stop = stop.clone();
                let mut stopped = watcher.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = stopped.wait_for(|s| *s) => {}
                        _ = relay(client, &upstream, fault, requests, stop) => {}
                    }
                });
            }
        }
    }
    // Dropping the listener here: a new connection is refused, as by a stopped server.
}

/// One client connection: requests counted and forwarded (or broken), answers relayed.
async fn relay(
    client: TcpStream,
    upstream: &str,
    fault: Fault,
    requests: Arc<AtomicUsize>,
    stop: watch::Sender<bool>,
) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (client_read, client_write) = client.into_split();
    let client_write = Arc::new(tokio::sync::Mutex::new(client_write));
    let (mut server_read, mut server_write) = server.into_split();
    let mut client_read = BufReader::new(client_read);
    let writer = Arc::clone(&client_write);
    let answers = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match server_read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if writer.lock().await.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    loop {
        let Some(request) = read_request(&mut client_read).await else {
            break;
        };
        let index = requests.fetch_add(1, Ordering::SeqCst);
        match fault {
            Fault::Stop(n) if index >= n => {
                let _ = stop.send(true);
                break;
            }
            Fault::Html(n) if index >= n => {
                // The client sent this request after reading the previous answer whole, so
                // nothing of the server is on its way: answer in its place, and close.
                answers.abort();
                let page = format!(
                    "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{BAD_GATEWAY}",
                    BAD_GATEWAY.len()
                );
                let mut writer = client_write.lock().await;
                let _ = writer.write_all(page.as_bytes()).await;
                let _ = writer.shutdown().await;
                return;
            }
            Fault::Slow(n, delay) if index >= n => tokio::time::sleep(delay).await,
            _ => {}
        }
        if server_write.write_all(&request).await.is_err() {
            break;
        }
    }
    answers.abort();
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body); `None` at the end of the stream.
async fn read_request<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let n = reader.read_until(b'\n', &mut head).await.ok()?;
        if n == 0 {
            return None;
        }
        if &head[before..] == b"\r\n" || &head[before..] == b"\n" {
            break;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let length = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).await.ok()?;
    head.extend(body);
    Some(head)
}

/// The socket address of an `http://host:port` URL.
pub fn upstream_of(url: &str) -> String {
    let rest = url
        .strip_prefix("http://")
        .expect("the live server's URL is http://");
    let host = rest.split('/').next().unwrap();
    host.parse::<SocketAddr>()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| host.to_owned())
}
