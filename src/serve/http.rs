//! The preview's HTTP side: files from memory, a live-reload script injected into HTML, and
//! a server-sent events stream telling open pages what changed.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;

use super::files::{Files, Resolved, content_type, resolve};
use super::origin::Policy;

/// Path of the event stream.
pub const EVENTS: &str = "/__kiln/events";
/// Path of the live-reload client.
pub const CLIENT: &str = "/__kiln/live.js";
const CLIENT_JS: &str = include_str!("live.js");

/// What the server shares with the rebuild loop.
#[derive(Clone)]
pub struct Shared {
    /// The site as last built without errors.
    pub files: Arc<RwLock<Arc<Files>>>,
    /// Messages to open pages (JSON, one per event).
    pub events: broadcast::Sender<Message>,
    /// The current error overlay (JSON), sent to pages that connect while it stands.
    pub overlay: Arc<RwLock<Option<String>>>,
}

impl Shared {
    /// The files served right now.
    pub fn snapshot(&self) -> Arc<Files> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// One event for the open pages.
#[derive(Debug, Clone)]
pub struct Message {
    /// Event name: `reload`, `css`, `build-error`, `ok`.
    pub kind: &'static str,
    /// JSON payload.
    pub data: String,
}

/// How long a connection may take to send a request's headers, and may stay open with no
/// request under way (the event stream, once answered, is not bounded by it).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serve connections from `listener` until the process ends: HTTP/1 with a header-read
/// timeout that also closes idle keep-alive connections.
pub async fn run(listener: tokio::net::TcpListener, shared: Shared, policy: Policy) -> std::io::Result<()> {
    let state = Arc::new((shared, policy));
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            // Out of file descriptors and the like: wait instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(respond(&state.0, &state.1, req.map(Body::new))) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

fn respond(shared: &Shared, policy: &Policy, req: Request<Body>) -> Response<Body> {
    if let Some(refused) = refuse(policy, &req) {
        return refused;
    }
    let path = req.uri().path().to_string();
    if path == EVENTS {
        return events(shared);
    }
    if path == CLIENT {
        return plain(StatusCode::OK, "text/javascript; charset=utf-8", CLIENT_JS.as_bytes().to_vec());
    }
    let files = shared.snapshot();
    match resolve(&path, &files) {
        Resolved::File(rel) => {
            // Revalidated on every use (`no-cache` + ETag): a reload re-fetches only what
            // changed, and the stylesheets and scripts of an unchanged theme come back 304.
            let tag = etag(&files[&rel]);
            let fresh =
                req.headers().get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == tag.as_bytes());
            let mut r = if fresh {
                plain(StatusCode::NOT_MODIFIED, content_type(&rel), Vec::new())
            } else {
                file(StatusCode::OK, &rel, &files[&rel])
            };
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            if let Ok(v) = HeaderValue::from_str(&tag) {
                r.headers_mut().insert(header::ETAG, v);
            }
            r
        }
        Resolved::Redirect(to) => {
            let mut r = plain(StatusCode::MOVED_PERMANENTLY, "text/plain; charset=utf-8", Vec::new());
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::NotFound => match files.get("404.html") {
            Some(page) => file(StatusCode::NOT_FOUND, "404.html", page),
            None => plain(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                with_client(b"<h1>Not found</h1>", ""),
            ),
        },
        Resolved::Bad => plain(StatusCode::BAD_REQUEST, "text/plain; charset=utf-8", b"bad path\n".to_vec()),
    }
}

/// A response for requests the preview does not answer: other methods than GET and HEAD,
/// a `Host` that is not this machine's (DNS rebinding), an `Origin` of another site.
fn refuse(policy: &Policy, req: &Request<Body>) -> Option<Response<Body>> {
    let text = |s: &str| s.as_bytes().to_vec();
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Some(plain(StatusCode::METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", text("GET only\n")));
    }
    let header = |name| req.headers().get(name).and_then(|v| v.to_str().ok());
    let host = header(header::HOST).or(req.uri().authority().map(|a| a.as_str()));
    if !host.is_some_and(|h| policy.host_ok(h)) {
        return Some(plain(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            text(
                "kiln serve answers only requests for localhost, 127.0.0.1, [::1] or the address it \
                 listens on; start it with --allow-host NAME to preview under another name\n",
            ),
        ));
    }
    if header(header::ORIGIN).is_some_and(|o| !policy.origin_ok(o)) {
        return Some(plain(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            text("kiln serve answers only its own pages\n"),
        ));
    }
    None
}

fn file(status: StatusCode, rel: &str, bytes: &[u8]) -> Response<Body> {
    let kind = content_type(rel);
    let body = if kind.starts_with("text/html") { with_client(bytes, &etag(bytes)) } else { bytes.to_vec() };
    plain(status, kind, body)
}

fn plain(status: StatusCode, kind: &'static str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // The preview changes under the browser: never let it answer from its cache.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// A strong validator for a file's bytes.
fn etag(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{}\"", h.finish(), bytes.len())
}

/// Put the live-reload client before `</body>` (or at the end), with the page's ETag in
/// its URL: the client checks that the copy it diffs against is the one it was loaded with.
fn with_client(html: &[u8], etag: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{CLIENT}?v={}\" defer></script>", etag.trim_matches('"'));
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn events(shared: &Shared) -> Response<Body> {
    use axum::response::IntoResponse;
    use futures_util::StreamExt;
    let rx = shared.events.subscribe();
    let overlay = shared.overlay.read().unwrap_or_else(|e| e.into_inner()).clone();
    let first = std::iter::once(Event::default().event("hello").data("{}"))
        .chain(overlay.map(|o| Event::default().event("build-error").data(o)))
        .map(Ok);
    Sse::new(stream::iter(first).chain(live(rx))).keep_alive(KeepAlive::default()).into_response()
}

/// The broadcast channel as a stream of events.
fn live(
    rx: broadcast::Receiver<Message>,
) -> impl Stream<Item = Result<Event, std::convert::Infallible>> + Send + 'static {
    stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(m) => Event::default().event(m.kind).data(m.data),
            // A slow page missed events: tell it to reload everything.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("reload").data(r#"{"all":true}"#)
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_goes_before_the_body_end() {
        let out = String::from_utf8(with_client(b"<html><body>x</BODY></html>", "\"ab-1\"")).unwrap();
        assert!(out.contains("x<script src=\"/__kiln/live.js?v=ab-1\" defer></script></BODY>"), "{out}");
        let out = String::from_utf8(with_client(b"fragment", "")).unwrap();
        assert!(out.starts_with("fragment<script"));
    }
}
