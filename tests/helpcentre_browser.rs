//! Help-centre features in a real headless Chromium: the feedback form posts its answer to
//! a local HTTP server (as JSON with the script, as a plain form without it).

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use browser::{goto, js, wait};
use common::*;

/// One request the endpoint received: method, path with query, content type, body.
type Received = (String, String, String, String);

/// An HTTP endpoint on 127.0.0.1 that records every request and answers as a form service
/// does (CORS allowed, 200).
fn endpoint() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/feedback", listener.local_addr().unwrap());
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).ok();
            let (mut length, mut ctype) = (0usize, String::new());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if let Some(v) = lower.strip_prefix("content-type:") {
                    ctype = v.trim().to_string();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).ok();
            let mut parts = request.split_whitespace();
            let (method, path) =
                (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
            log.lock().unwrap().push((method, path, ctype, String::from_utf8_lossy(&body).into_owned()));
            let page = "<!doctype html><title>Received</title><p>Received";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, GET\r\nAccess-Control-Allow-Headers: content-type\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    (url, got)
}

fn site(endpoint: &str, method: &str) -> Site {
    let toml = format!(
        "title = \"KB\"\nbase_url = \"https://help.example.com/\"\n[feedback]\nendpoint = \"{endpoint}\"\nmethod = \"{method}\"\n[feedback.fields]\n_subject = \"KB feedback\"\n"
    );
    let site = Site::with_files(&[
        ("site.toml", &toml),
        ("content/accounts/reset.md", "---\ntitle: Reset your password\n---\nOpen the sign-in page.\n"),
    ]);
    site.build(&[]).ok();
    site
}

#[test]
fn the_answer_is_posted_as_json_and_the_reader_thanked_in_place() {
    let Some(chrome) = browser::chromium() else { return };
    let (url, got) = endpoint();
    let site = site(&url, "post");
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/accounts/reset/"));
    js(&tab, "document.querySelector('.kiln-feedback textarea').value = 'Step 2 needs a screenshot', 1");
    tab.find_element(".kiln-feedback button[value=no]").unwrap().click().unwrap();
    wait(&tab, "document.querySelector('.kiln-feedback-status').textContent !== ''");
    assert_eq!(
        js(&tab, "document.querySelector('.kiln-feedback-status').textContent"),
        "Thank you for your feedback."
    );
    assert_eq!(js(&tab, "document.querySelector('.kiln-feedback fieldset').hidden"), true);
    assert_eq!(js(&tab, "location.pathname"), "/accounts/reset/", "the reader stays on the article");
    let posts: Vec<Received> = got.lock().unwrap().iter().filter(|r| r.0 == "POST").cloned().collect();
    assert_eq!(posts.len(), 1, "{:?}", got.lock().unwrap());
    let (_, path, ctype, body) = &posts[0];
    assert_eq!((path.as_str(), ctype.as_str()), ("/feedback", "application/json"));
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["url"], "https://help.example.com/accounts/reset/");
    assert_eq!(json["title"], "Reset your password");
    assert_eq!(json["language"], "en");
    assert_eq!(json["answer"], "no");
    assert_eq!(json["comment"], "Step 2 needs a screenshot");
    assert_eq!(json["_subject"], "KB feedback");
}

#[test]
fn without_javascript_the_form_still_sends_the_answer() {
    let Some(chrome) = browser::chromium() else { return };
    let (url, got) = endpoint();
    let site = site(&url, "post");
    // The site's script never arrives: the form is all there is.
    let assets = site.public().join("assets");
    for e in std::fs::read_dir(&assets).unwrap().flatten() {
        if e.file_name().to_string_lossy().ends_with(".js") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/accounts/reset/"));
    tab.find_element(".kiln-feedback button[value=yes]").unwrap().click().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while got.lock().unwrap().iter().all(|r| r.0 != "POST") {
        assert!(std::time::Instant::now() < deadline, "no form post arrived");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let post = got.lock().unwrap().iter().find(|r| r.0 == "POST").cloned().unwrap();
    assert_eq!(post.2, "application/x-www-form-urlencoded");
    let fields: Vec<(String, String)> =
        url_pairs(&post.3).into_iter().filter(|(k, _)| k != "comment").collect();
    assert_eq!(
        fields,
        [
            ("url", "https://help.example.com/accounts/reset/"),
            ("title", "Reset your password"),
            ("language", "en"),
            ("_subject", "KB feedback"),
            ("answer", "yes"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    );
}

#[test]
fn a_get_endpoint_receives_the_answer_in_the_query_string() {
    let Some(chrome) = browser::chromium() else { return };
    let (url, got) = endpoint();
    let site = site(&url, "get");
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/accounts/reset/"));
    tab.find_element(".kiln-feedback button[value=yes]").unwrap().click().unwrap();
    wait(&tab, "document.querySelector('.kiln-feedback-status').textContent !== ''");
    let gets: Vec<Received> = got.lock().unwrap().iter().filter(|r| r.0 == "GET").cloned().collect();
    assert_eq!(gets.len(), 1, "{gets:?}");
    let query = gets[0].1.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default();
    let pairs = url_pairs(&query);
    assert!(pairs.contains(&("answer".into(), "yes".into())), "{pairs:?}");
    assert!(pairs.contains(&("title".into(), "Reset your password".into())), "{pairs:?}");
}

/// `application/x-www-form-urlencoded` pairs, decoded.
fn url_pairs(s: &str) -> Vec<(String, String)> {
    let decode = |x: &str| {
        let x = x.replace('+', " ");
        let mut out = Vec::new();
        let b = x.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                out.push(u8::from_str_radix(&x[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

#[test]
fn a_search_that_finds_nothing_offers_to_contact_support() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::with_files(&[
        (
            "site.toml",
            "[support]\ntext = \"Contact the service desk\"\nurl = \"https://desk.example.com/\"\n",
        ),
        ("content/accounts/reset.md", "# Reset your password\n\nOpen the sign-in page.\n"),
    ]);
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/search/?q=zzyzx"));
    wait(&tab, "document.querySelector('.search-results').dataset.query === 'zzyzx'");
    assert_eq!(js(&tab, "document.querySelector('.search-page .search-support').hidden"), false);
    goto(&tab, &format!("{base}/search/?q=password"));
    wait(&tab, "document.querySelector('.search-results').dataset.query === 'password'");
    assert_eq!(js(&tab, "document.querySelector('.search-page .search-support').hidden"), true);
    // The header's list says the same.
    goto(&tab, &format!("{base}/accounts/reset/"));
    js(
        &tab,
        "(() => { const i = document.querySelector('.search-form input'); i.focus(); i.value = 'zzyzx'; i.dispatchEvent(new Event('input', { bubbles: true })); return 1; })()",
    );
    wait(&tab, "document.getElementById('kiln-results').dataset.query === 'zzyzx'");
    assert_eq!(js(&tab, "document.querySelector('.search-panel .search-support').hidden"), false);
    assert_eq!(
        js(&tab, "getComputedStyle(document.querySelector('.search-panel .search-support')).display"),
        "block"
    );
}

const BIG_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2400\" height=\"1200\"><rect width=\"2400\" height=\"1200\" fill=\"#4a8\"/></svg>";
const SMALL_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\"/></svg>";

#[test]
fn images_open_larger_from_mouse_and_keyboard_and_close_with_escape() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::with_files(&[
        (
            "content/guides/vpn.md",
            "# VPN\n\n![The VPN settings window](big.svg)\n\nIcon: ![icon](small.svg)\n\n[![linked](big.svg)](https://example.com/)\n",
        ),
        ("content/guides/big.svg", BIG_SVG),
        ("content/guides/small.svg", SMALL_SVG),
    ]);
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/guides/vpn/"));
    wait(&tab, "document.querySelectorAll('img.zoomable').length === 1");
    let img = "document.querySelector('img.zoomable')";
    assert_eq!(js(&tab, &format!("{img}.alt")), "The VPN settings window");
    assert_eq!(js(&tab, &format!("{img}.getAttribute('role') + ' ' + {img}.tabIndex")), "button 0");
    assert_eq!(
        js(&tab, &format!("{img}.getAttribute('aria-label')")),
        "Open the larger image: The VPN settings window"
    );
    // Keyboard: Enter opens a modal dialog with the close button focused; Esc closes it and
    // focus returns to the image.
    js(&tab, &format!("{img}.focus(), 1"));
    tab.press_key("Enter").unwrap();
    wait(
        &tab,
        "document.querySelector('dialog.kiln-lightbox') && document.querySelector('dialog.kiln-lightbox').open",
    );
    assert_eq!(js(&tab, "document.activeElement.className"), "kiln-lightbox-close");
    assert_eq!(js(&tab, "document.activeElement.getAttribute('aria-label')"), "Close");
    assert_eq!(
        js(&tab, "document.querySelector('dialog.kiln-lightbox').getAttribute('aria-label')"),
        "The VPN settings window"
    );
    assert_eq!(js(&tab, "document.querySelector('dialog.kiln-lightbox img').naturalWidth"), 2400);
    // Larger than the article shows it.
    let wider = js(
        &tab,
        "document.querySelector('dialog.kiln-lightbox img').getBoundingClientRect().width > document.querySelector('.article-body img').getBoundingClientRect().width",
    );
    assert_eq!(wider, true);
    tab.press_key("Escape").unwrap();
    wait(&tab, "document.querySelector('dialog.kiln-lightbox') === null");
    assert_eq!(js(&tab, &format!("document.activeElement === {img}")), true);
    // Mouse: a click opens, a click closes.
    tab.find_element("img.zoomable").unwrap().click().unwrap();
    wait(&tab, "document.querySelector('dialog.kiln-lightbox') !== null");
    tab.find_element("dialog.kiln-lightbox img").unwrap().click().unwrap();
    wait(&tab, "document.querySelector('dialog.kiln-lightbox') === null");
    // The small icon and the linked image are left alone.
    assert_eq!(js(&tab, "document.querySelectorAll('.article-body img:not(.zoomable)').length"), 2);
}

#[test]
fn a_heading_anchor_copies_its_link() {
    let Some(chrome) = browser::chromium() else { return };
    let site = Site::with_files(&[("content/guides/vpn.md", "# VPN\n\n## Split tunnelling\n\nText.\n")]);
    site.build(&[]).ok();
    let base = browser::serve(&site.public());
    let b = browser::launch(&chrome, 1280, 900);
    let tab = b.new_tab().unwrap();
    goto(&tab, &format!("{base}/guides/vpn/"));
    // Record what the page puts on the clipboard (headless Chromium has no clipboard to read).
    js(
        &tab,
        "window.copied = []; navigator.clipboard.writeText = t => { window.copied.push(t); return Promise.resolve(); }; 1",
    );
    tab.find_element("#split-tunnelling + a.anchor, h2 a.anchor, .heading-wrap a.anchor")
        .unwrap()
        .click()
        .unwrap();
    wait(&tab, "window.copied.length === 1");
    assert_eq!(js(&tab, "window.copied[0]"), format!("{base}/guides/vpn/#split-tunnelling"));
    assert_eq!(js(&tab, "location.hash"), "#split-tunnelling", "the anchor still goes to its heading");
    wait(&tab, "document.querySelector('.link-status').textContent === 'Link copied to the clipboard'");
}
