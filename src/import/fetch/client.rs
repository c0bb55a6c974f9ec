//! The HTTP client of `kiln import --url`, the only code in Kiln that talks to a network:
//! credentials sent only to the helpdesk's own origin, rate limits honoured (429 and its
//! `Retry-After`), transient failures retried, and the failures a person can fix (a refused
//! key, a wrong address) reported as what to check.

use std::time::Duration;

use crate::error::{Error, Result};

/// Largest response read (a JSON page, an attachment).
const BODY_LIMIT: u64 = 256 << 20;
/// Waits on 429 before giving up.
const RATE_LIMIT_WAITS: u32 = 10;
/// Tries for a 5xx answer or a dropped connection.
const TRIES: u32 = 4;

/// A client for one helpdesk.
pub struct Client {
    agent: ureq::Agent,
    /// `https://acme.freshdesk.com`, no trailing slash.
    pub origin: String,
    authorization: String,
    /// What to check when the credentials are refused.
    pub credentials_hint: String,
}

impl Client {
    /// A client for `url` (https; http only to this machine, for tests and local mirrors).
    pub fn new(url: &str, authorization: String, credentials_hint: String) -> Result<Client> {
        let origin = origin(url)?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("kiln-import/", env!("CARGO_PKG_VERSION")))
            .max_redirects(5)
            .build()
            .new_agent();
        Ok(Client { agent, origin, authorization, credentials_hint })
    }

    /// `path` (under the origin) or a full URL on the origin, as JSON, with the response's
    /// `Link: <…>; rel="next"` URL.
    pub fn json(&self, path_or_url: &str) -> Result<(serde_json::Value, Option<String>)> {
        let url = self.on_origin(path_or_url)?;
        let (bytes, next) = self.get(&url, true)?.map_err(|status| self.refused(&url, status))?;
        self.parse(&url, &bytes).map(|value| (value, next))
    }

    /// [`Self::json`], or `None` when the helpdesk answers one of `statuses` (a 404: the
    /// item has no translation, the account no sub-folders).
    pub fn json_unless(
        &self,
        path_or_url: &str,
        statuses: &[u16],
    ) -> Result<Option<(serde_json::Value, Option<String>)>> {
        let url = self.on_origin(path_or_url)?;
        match self.get(&url, true)? {
            Ok((bytes, next)) => self.parse(&url, &bytes).map(|value| Some((value, next))),
            Err(status) if statuses.contains(&status) => Ok(None),
            Err(status) => Err(self.refused(&url, status)),
        }
    }

    fn parse(&self, url: &str, bytes: &[u8]) -> Result<serde_json::Value> {
        serde_json::from_slice(bytes).map_err(|_| Error::Remote {
            url: url.to_string(),
            message: format!(
                "the answer is not JSON: check that --url is the helpdesk's address ({})",
                self.origin
            ),
        })
    }

    /// A file, from the origin (with the credentials) or elsewhere (without).
    pub fn download(&self, url: &str) -> Result<Vec<u8>> {
        let url = if url.starts_with('/') { format!("{}{url}", self.origin) } else { url.to_string() };
        if !(url.starts_with("https://") || url.starts_with(&format!("{}/", self.origin))) {
            return Err(Error::Remote { url, message: "not an https URL; not downloaded".into() });
        }
        let own = url.starts_with(&format!("{}/", self.origin));
        match self.get(&url, own)? {
            Ok((bytes, _)) => Ok(bytes),
            Err(status) => Err(self.refused(&url, status)),
        }
    }

    /// A URL on the origin: next-page links that lead elsewhere are refused, so the
    /// credentials never go to another host.
    pub fn on_origin(&self, path_or_url: &str) -> Result<String> {
        if path_or_url.starts_with('/') {
            return Ok(format!("{}{path_or_url}", self.origin));
        }
        if path_or_url.starts_with(&format!("{}/", self.origin)) {
            return Ok(path_or_url.to_string());
        }
        Err(Error::Remote {
            url: path_or_url.into(),
            message: format!("a next page outside {}; not followed", self.origin),
        })
    }

    /// The body and next-page link of `url`, or the status the helpdesk refused it with
    /// (after waiting out rate limits and retrying server errors); `Err` for the rest.
    // Long: one request with its retries; each arm is one answer the helpdesk can give.
    fn get(&self, url: &str, credentials: bool) -> Result<Answer> {
        let (mut waits, mut tries) = (0, 0);
        loop {
            let mut request = self.agent.get(url).header("Accept", "application/json");
            if credentials {
                request = request.header("Authorization", &self.authorization);
            }
            let mut response = match request.call() {
                Ok(r) => r,
                Err(e) => {
                    tries += 1;
                    if tries < TRIES {
                        std::thread::sleep(backoff(tries));
                        continue;
                    }
                    let message = format!("cannot reach it ({e}): check --url and the network");
                    return Err(Error::Remote { url: url.into(), message });
                }
            };
            let status = response.status().as_u16();
            let header =
                |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
            match status {
                200..=299 => {
                    let next = header("link").and_then(|l| next_link(&l));
                    let body = response.body_mut().with_config().limit(BODY_LIMIT).read_to_vec();
                    return body.map(|b| Ok((b, next))).map_err(|e| Error::Remote {
                        url: url.into(),
                        message: format!("reading the answer: {e}"),
                    });
                }
                429 if waits < RATE_LIMIT_WAITS => {
                    waits += 1;
                    let secs = header("retry-after").and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or(30);
                    eprintln!("kiln import: rate limited; waiting {secs} s as the helpdesk asks");
                    std::thread::sleep(Duration::from_secs(secs.min(600)));
                }
                500..=599 if tries + 1 < TRIES => {
                    tries += 1;
                    std::thread::sleep(backoff(tries));
                }
                _ => return Ok(Err(status)),
            }
        }
    }

    /// The error for a refused request, naming what to check.
    fn refused(&self, url: &str, status: u16) -> Error {
        let message = match status {
            401 => format!("the helpdesk refused the credentials (401): check {}", self.credentials_hint),
            403 => format!(
                "the credentials may not read the knowledge base (403): check {}",
                self.credentials_hint
            ),
            404 => format!("not found (404): check that --url is the helpdesk's address ({})", self.origin),
            429 => "still rate limited after waiting; try again later".into(),
            s => format!("the helpdesk answered {s}"),
        };
        Error::Remote { url: url.to_string(), message }
    }
}

/// A request's answer: the body and the next-page link, or the status it was refused with.
type Answer = std::result::Result<(Vec<u8>, Option<String>), u16>;

fn backoff(tries: u32) -> Duration {
    Duration::from_millis(500 << tries.min(6))
}

/// `scheme://host[:port]` of `--url`.
fn origin(url: &str) -> Result<String> {
    let bad = |why: &str| Error::usage(format!("--url {url:?}: {why} (e.g. https://acme.freshdesk.com)"));
    let (scheme, rest) = url.trim().split_once("://").ok_or_else(|| bad("not a URL"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty()
        || host.contains('@')
        || !host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    {
        return Err(bad("no host name in it"));
    }
    let name =
        host.rsplit_once(':').filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit())).map_or(host, |(h, _)| h);
    let local = matches!(name, "127.0.0.1" | "localhost" | "[::1]");
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(format!("https://{}", host.to_ascii_lowercase())),
        "http" if local => Ok(format!("http://{host}")),
        _ => Err(bad("an https:// address is needed (the credentials travel with every request)")),
    }
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .contains("rel=\"next\"")
            .then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_string())
    })
}

/// `Basic` authorization for `user:password`.
pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", crate::base::base64::encode(format!("{user}:{password}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_links() {
        assert_eq!(origin("https://Acme.freshdesk.com/a/b").unwrap(), "https://acme.freshdesk.com");
        assert_eq!(origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert!(origin("http://acme.freshdesk.com").is_err());
        assert!(origin("acme.freshdesk.com").is_err());
        assert!(origin("https://user@evil.com").is_err());
        let link = "<https://a.freshdesk.com/api/v2/x?page=2>; rel=\"next\"";
        assert_eq!(next_link(link).as_deref(), Some("https://a.freshdesk.com/api/v2/x?page=2"));
    }
}
