//! `kiln import --url` against a helpdesk API served on 127.0.0.1 from the fixture exports:
//! pagination (Zendesk `next_page`, Freshdesk `Link: rel="next"`), a 429 with `Retry-After`,
//! a 401 for wrong credentials, attachments downloaded, and `--save-export` giving the
//! `--from` format (an offline import of it writes the same site).

mod common;
use common::*;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn fixture(vendor: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(vendor)
}

/// A fake helpdesk: answers from a fixture export, hosts rewritten to itself; the first
/// request for `limited` gets a 429; a request without `auth` gets a 401. Returns the
/// origin and the log of request paths.
fn helpdesk(vendor: &'static str, auth: String, limited: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let (o, l) = (origin.clone(), log.clone());
    std::thread::spawn(move || {
        let mut limited_once = false;
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let mut authorized = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
                    break;
                }
                authorized |= line.trim().eq_ignore_ascii_case(&format!("authorization: {auth}"));
            }
            l.lock().unwrap().push(path.clone());
            let is_file = path.contains("/attachments/") && !path.starts_with("/api/");
            let (status, headers, body) = if path.starts_with(limited) && !limited_once {
                limited_once = true;
                ("429 Too Many Requests", "Retry-After: 1\r\n".to_string(), Vec::new())
            } else if !authorized && !is_file {
                ("401 Unauthorized", String::new(), b"{\"error\":\"Couldn't authenticate you\"}".to_vec())
            } else {
                answer(vendor, &path, &o)
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    (origin, log)
}

fn answer(vendor: &str, path: &str, origin: &str) -> (&'static str, String, Vec<u8>) {
    let dir = fixture(vendor);
    let json = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .unwrap()
            .replace("https://acme.zendesk.com", origin)
            .replace("https://s3.amazonaws.com", origin)
    };
    let ok = |body: String| ("200 OK", "Content-Type: application/json\r\n".to_string(), body.into_bytes());
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    if vendor == "zendesk" {
        return match route {
            "/api/v2/help_center/locales.json" => ok(json("locales.json")),
            "/api/v2/help_center/en-us/categories.json" => ok(json("categories.json")),
            "/api/v2/help_center/en-us/sections.json" => ok(json("sections.json")),
            "/api/v2/help_center/en-us/articles.json" if query.contains("page=2") => {
                ok(json("articles-2.json"))
            }
            "/api/v2/help_center/en-us/articles.json" => ok(json("articles.json")),
            "/api/v2/help_center/fr/articles.json" => ok(json("translations-fr.json")),
            "/api/v2/help_center/fr/categories.json" => ok(json("categories-fr.json")),
            "/api/v2/help_center/fr/sections.json" => ok(json("sections-fr.json")),
            r if r.ends_with("/attachments.json") => ok("{\"article_attachments\": []}".into()),
            r => file(&dir, r),
        };
    }
    let all = |file: &str| -> Vec<serde_json::Value> { serde_json::from_str(&json(file)).unwrap() };
    let list = |items: Vec<serde_json::Value>| ok(serde_json::to_string(&items).unwrap());
    let id = |r: &str, n: usize| r.split('/').nth(n).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    match route {
        // Categories one per page, the next page in the Link header.
        "/api/v2/solutions/categories" => {
            let page: usize =
                query.split('&').find_map(|p| p.strip_prefix("page=")?.parse().ok()).unwrap_or(1);
            let cats = all("categories.json");
            let items = cats.get(page - 1).cloned().into_iter().collect();
            let (status, mut headers, body) = list(items);
            if page < cats.len() {
                headers.push_str(&format!(
                    "Link: <{origin}/api/v2/solutions/categories?per_page=100&page={}>; rel=\"next\"\r\n",
                    page + 1
                ));
            }
            (status, headers, body)
        }
        r if r.ends_with("/folders") => {
            let c = id(r, 5);
            list(
                all("folders.json")
                    .into_iter()
                    .filter(|f| f["category_id"] == c && f["parent_folder_id"].is_null())
                    .map(strip(&["category_id", "parent_folder_id"]))
                    .collect(),
            )
        }
        r if r.ends_with("/subfolders") => {
            let f = id(r, 5);
            list(
                all("folders.json")
                    .into_iter()
                    .filter(|x| x["parent_folder_id"] == f)
                    .map(strip(&["category_id", "parent_folder_id"]))
                    .collect(),
            )
        }
        r if r.ends_with("/articles") => {
            let f = id(r, 5);
            list(all("articles.json").into_iter().filter(|a| a["folder_id"] == f).collect())
        }
        "/api/v2/settings/helpdesk" => ok(json("settings.json")),
        // One item in another language; 404 where it is not translated.
        r if r.ends_with("/de") => {
            let kind = r.split('/').nth(4).unwrap_or("");
            let file = if kind == "articles" {
                "translations-de.json".to_string()
            } else {
                format!("{kind}-de.json")
            };
            match all(&file).into_iter().find(|v| v["id"] == id(r, 5)) {
                Some(v) => ok(v.to_string()),
                None => ("404 Not Found", String::new(), Vec::new()),
            }
        }
        r => file(&dir, r),
    }
}

/// The API's folder objects do not carry what the export adds (category, parent).
fn strip(keys: &'static [&'static str]) -> impl Fn(serde_json::Value) -> serde_json::Value {
    move |mut v| {
        for k in keys {
            v.as_object_mut().unwrap().remove(*k);
        }
        v
    }
}

/// An attachment, found by its file name among the fixture's files.
fn file(dir: &Path, route: &str) -> (&'static str, String, Vec<u8>) {
    // Saved under its name made safe, as `kiln import` saves it.
    let name = route.rsplit('/').next().unwrap_or("").replace("%20", "-").replace(['(', ')'], "-");
    let found = tree(&dir.join("attachments"))
        .into_iter()
        .find(|(p, _)| p.ends_with(&format!("/{name}")) || *p == name);
    match found {
        Some((_, bytes)) => ("200 OK", "Content-Type: application/octet-stream\r\n".into(), bytes),
        None => ("404 Not Found", String::new(), Vec::new()),
    }
}

#[test]
fn zendesk_live_import_pages_waits_out_a_429_and_saves_the_export() {
    let basic = format!("Basic {}", b64("agent@acme.test/token:s3cret"));
    let (origin, log) = helpdesk("zendesk", basic, "/api/v2/help_center/en-us/articles.json?page=2");
    let site = tempfile::tempdir().unwrap();
    let (root, saved) = (site.path().join("kb"), site.path().join("saved"));
    let env = [("ZENDESK_EMAIL", "agent@acme.test"), ("ZENDESK_TOKEN", "s3cret")];
    let args = [
        "import",
        "zendesk",
        "--url",
        &origin,
        "--into",
        root.to_str().unwrap(),
        "--save-export",
        saved.to_str().unwrap(),
    ];
    let live = run_env(&args, &env).ok();
    assert!(live.stdout.contains("5 articles (1 translations)"), "{}{}", live.stdout, live.stderr);
    assert!(live.stderr.contains("rate limited; waiting 1 s"), "{}", live.stderr);
    let paths = log.lock().unwrap().clone();
    assert_eq!(
        paths.iter().filter(|p| p.contains("articles.json?page=2")).count(),
        2,
        "asked again after the 429: {paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("/sso-diagram.png")), "the body's image downloaded: {paths:?}");
    assert!(root.join("content/administration/single-sign-on/configure-sso/sso-diagram.png").is_file());
    assert!(saved.join("articles-2.json").is_file() && saved.join("translations-fr.json").is_file());
    assert!(saved.join("attachments/501/sso-diagram.png").is_file());
    assert!(saved.join("categories-fr.json").is_file() && saved.join("sections-fr.json").is_file());
    assert!(std::fs::read_to_string(root.join("content/fr/general/index.md")).unwrap().contains("Général"));
    // The saved export imports offline to the same site.
    let offline = site.path().join("offline");
    run(&["import", "zendesk", "--from", saved.to_str().unwrap(), "--into", offline.to_str().unwrap()]).ok();
    assert_eq!(tree(&offline.join("content")), tree(&root.join("content")));
    let check = run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let wrong = [("ZENDESK_EMAIL", "agent@acme.test"), ("ZENDESK_TOKEN", "wrong")];
    let refused = run_env(
        &["import", "zendesk", "--url", &origin, "--into", site.path().join("x").to_str().unwrap()],
        &wrong,
    );
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("refused the credentials (401)") && refused.stderr.contains("ZENDESK_TOKEN"),
        "{}",
        refused.stderr
    );
    assert!(
        !site.path().join("x/content").exists() || tree(&site.path().join("x/content")).is_empty(),
        "nothing imported"
    );
}

#[test]
fn freshdesk_live_import_follows_link_headers_and_fetches_attachments() {
    let basic = format!("Basic {}", b64("fd-key:X"));
    let (origin, log) = helpdesk("freshdesk", basic, "/api/v2/solutions/folders/2000/articles");
    let site = tempfile::tempdir().unwrap();
    let root = site.path().join("kb");
    let live = run_env(
        &["import", "freshdesk", "--url", &origin, "--into", root.to_str().unwrap()],
        &[("FRESHDESK_API_KEY", "fd-key")],
    )
    .ok();
    assert!(
        live.stdout.contains(
            "5 articles (1 translations), 2 categories, 5 folders, 1 drafts, 1 internal, 2 attachments"
        ),
        "{}{}",
        live.stdout,
        live.stderr
    );
    assert!(
        std::fs::read_to_string(root.join("content/de/getting-started/index.md"))
            .unwrap()
            .contains("Erste Schritte"),
        "the category in German"
    );
    let paths = log.lock().unwrap().clone();
    assert!(
        paths.iter().any(|p| p.contains("categories?per_page=100&page=2")),
        "second page by Link: {paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("/folders/2002/subfolders?per_page=100")), "{paths:?}");
    let offline = site.path().join("offline");
    run(&[
        "import",
        "freshdesk",
        "--from",
        fixture("freshdesk").to_str().unwrap(),
        "--into",
        offline.to_str().unwrap(),
    ])
    .ok();
    let (a, b) = (tree(&root.join("content")), tree(&offline.join("content")));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "live and offline give the same files"
    );
    let refused = run_env(
        &["import", "freshdesk", "--url", &origin, "--into", site.path().join("x").to_str().unwrap()],
        &[("FRESHDESK_API_KEY", "bad")],
    );
    assert_eq!(refused.code, 3);
    assert!(refused.stderr.contains("FRESHDESK_API_KEY"), "{}", refused.stderr);
}

/// The credentials as the client sends them (the crate's own encoder).
fn b64(s: &str) -> String {
    kiln::base::base64::encode(s.as_bytes())
}
