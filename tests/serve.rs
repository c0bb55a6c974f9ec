//! `kiln serve` (issue 4): the real binary on a copy of the `basic` fixture, spoken to over
//! HTTP and its event stream while the test edits, adds and deletes files.

mod common;
#[path = "common/server.rs"]
mod server;

use std::time::Duration;

use common::Site;
use server::{Server, request};

const STEP10: &str = "content/email-delivery/ndr/step-10.md";

fn start() -> (Site, Server) {
    start_with_folders(&[])
}

/// Start on the `basic` fixture with extra folders made first: a file created together
/// with a new folder can arrive as the folder's event alone (inotify adds the watch after).
fn start_with_folders(folders: &[&str]) -> (Site, Server) {
    let site = Site::fixture("basic");
    for f in folders {
        std::fs::create_dir_all(site.root().join(f)).unwrap();
    }
    let server = Server::start(site.root());
    (site, server)
}

#[test]
fn serves_pages_assets_and_search_with_content_types_from_memory() {
    let (site, server) = start();
    let (status, head, body) = server.get("/email-delivery/ndr/step-10/");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("<script src=\"/__kiln/live.js?v="), "live client injected");
    let (status, head, _) = server.get("/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/css"), "{head}");
    assert_eq!(server.get("/search/meta.json").0, 200, "search works in the preview");
    assert_eq!(server.get("/email-delivery/ndr/shot.png").0, 200);
    let (status, head, _) = server.get("/email-delivery/ndr");
    assert_eq!(status, 301);
    assert!(head.contains("location: /email-delivery/ndr/"), "{head}");
    // Built in memory: public/ is never written.
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_body_edit_rebuilds_one_page_and_reloads_only_it() {
    let (site, server) = start();
    let before = article_pages(&server);
    let events = server.events();
    let text = std::fs::read_to_string(site.root().join(STEP10)).unwrap();
    site.write(STEP10, &format!("{text}\nA brand new paragraph about quokkas.\n"));
    let line = server.wait_log("rebuilt 1 page");
    assert!(line.contains("step-10.md"), "{line}");
    let data = events.expect("reload", |_| true);
    assert!(data.contains("\"/email-delivery/ndr/step-10/\""), "{data}");
    // Besides it, only pages whose related articles changed (the edit changes how close
    // the article is to others) reload, and nothing else of theirs changed.
    for (url, html) in &before {
        let now = served(server.get(url).2);
        let reloaded = data.contains(&format!("\"{url}\""));
        if url.ends_with("/step-10/") {
            continue;
        }
        assert_eq!(reloaded, now != *html, "{url} reloads exactly when it changed: {data}");
        assert_eq!(without_related(&now), without_related(html), "{url}: only its related articles changed");
    }
    assert!(server.get("/email-delivery/ndr/step-10/").2.contains("quokkas"));
    // The search index is updated file by file: the new word is in its dictionary bucket,
    // and only the files holding the page's terms were rewritten.
    let line = server.wait_log("search index");
    let files: usize = line.split('(').nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    let total = search_files(&server);
    assert!(files > 0 && files < total, "{files} of {total} search files rewritten");
    assert!(bucket_of(&server, "quokkas").contains("\"quokkas\""));
}

/// Every article page the server lists in its sitemap, with its HTML.
fn article_pages(server: &Server) -> Vec<(String, String)> {
    let sitemap = server.get("/sitemap.xml").2;
    sitemap
        .split("<loc>")
        .skip(1)
        .map(|l| l[..l.find("</loc>").unwrap()].to_string())
        .map(|loc| {
            loc[loc.find("://").unwrap() + 3..]
                .find('/')
                .map(|i| loc[loc.find("://").unwrap() + 3 + i..].to_string())
                .unwrap()
        })
        .filter(|url| server.get(url).2.contains("<article class=\"article\">"))
        .map(|url| {
            let html = served(server.get(&url).2);
            (url, html)
        })
        .collect()
}

/// A page's HTML without the live-reload client (its version changes with every build).
fn served(html: String) -> String {
    match html.find("<script src=\"/__kiln/live.js") {
        Some(start) => {
            format!("{}{}", &html[..start], &html[start + html[start..].find("</script>").unwrap()..])
        }
        None => html,
    }
}

/// A page's HTML without its related-articles block.
fn without_related(html: &str) -> String {
    match html.find("<nav class=\"related-articles\"") {
        Some(start) => {
            let end = start + html[start..].find("</nav>").unwrap() + "</nav>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// Number of search files the server has (dictionary buckets + postings chunks + bundles).
fn search_files(server: &Server) -> usize {
    let (_, _, meta) = server.get("/search/meta.json");
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    let buckets = meta["buckets"].as_u64().unwrap() as usize;
    let bundles = (meta["n"].as_u64().unwrap() as usize).div_ceil(meta["bundle"].as_u64().unwrap() as usize);
    let chunks = (0..).take_while(|c| server.get(&format!("/search/p/{c}.kp")).0 == 200).count();
    buckets + bundles + chunks
}

/// The decompressed dictionary bucket that holds `word`.
fn bucket_of(server: &Server, word: &str) -> String {
    use std::io::Read;
    let (_, _, meta) = server.get("/search/meta.json");
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    let buckets = meta["buckets"].as_u64().unwrap() as u32;
    let b = kiln::search::write::fnv1a(kiln::search::write::key_of(word)) % buckets;
    let raw = raw_get(&server.addr, &format!("/search/d/{b}.kd"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_string(&mut text).unwrap();
    text
}

/// GET returning the body bytes.
fn raw_get(addr: &str, path: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    raw[at..].to_vec()
}

#[test]
fn a_template_edit_rerenders_from_memory_and_reloads_what_changed() {
    let (site, server) = start_with_folders(&["templates"]);
    let events = server.events();
    site.write(
        "templates/tag.html",
        "{% extends \"base.html\" %}{% block title %}{{ tag.title }}{% endblock title %}{% block main %}<p>CUSTOM TAG {{ tag.title }}</p>{% endblock main %}",
    );
    let line = server.wait_log("templates/tag.html");
    assert!(line.contains("rebuilt templates"), "{line}");
    let data = events.expect("reload", |d| d.contains("/tags/email/"));
    assert!(data.contains("/tags/email/") && !data.contains("/email-delivery/ndr/step-10/"), "{data}");
    assert!(server.get("/tags/email/").2.contains("CUSTOM TAG"));
}

#[test]
fn a_title_edit_updates_navigation_and_neighbours() {
    let (site, server) = start();
    let events = server.events();
    let text = std::fs::read_to_string(site.root().join(STEP10)).unwrap();
    site.write(STEP10, &text.replace("title: Step 10", "title: Step ten renamed"));
    let line = server.wait_log("navigation");
    assert!(line.contains("rebuilt 1 page and the navigation"), "not a whole-site rebuild: {line}");
    let data = events.expect("reload", |d| d.contains("/email-delivery/ndr/step-2/"));
    assert!(data.contains("/email-delivery/ndr/step-10/") && data.contains("/email-delivery/ndr/"), "{data}");
    assert!(
        server.get("/email-delivery/ndr/step-2/").2.contains("Step ten renamed"),
        "sidebar and prev/next"
    );
    assert!(server.get("/email-delivery/ndr/").2.contains("Step ten renamed"), "folder listing");
}

#[test]
fn adding_and_deleting_articles_updates_navigation_and_404s() {
    let (site, server) = start();
    let events = server.events();
    site.write("content/email-delivery/ndr/brand-new.md", "---\ntitle: Brand new article\n---\nHello.\n");
    events.expect("reload", |d| d.contains("/email-delivery/ndr/brand-new/"));
    assert_eq!(server.get("/email-delivery/ndr/brand-new/").0, 200);
    assert!(server.get("/email-delivery/ndr/").2.contains("Brand new article"));

    std::fs::remove_file(site.root().join(STEP10)).unwrap();
    events.expect("reload", |d| d.contains("/email-delivery/ndr/step-10/"));
    let (status, _, body) = server.get("/email-delivery/ndr/step-10/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's 404 page");
    assert!(!server.get("/email-delivery/ndr/").2.contains("/email-delivery/ndr/step-10/"));

    std::fs::remove_dir_all(site.root().join("content/misc")).unwrap();
    events.expect("reload", |d| d.contains("/misc/"));
    assert_eq!(server.get("/misc/").0, 404);
}

#[test]
fn added_and_removed_articles_relink_from_memory_and_pages_linking_to_them_follow() {
    let site = Site::fixture("basic");
    let step2 = "content/email-delivery/ndr/step-2.md";
    let text = std::fs::read_to_string(site.root().join(step2)).unwrap();
    site.write(step2, &format!("{text}\nSee [the new one](brand-new.md).\n"));
    let server = Server::start(site.root());
    let events = server.events();
    let href = "href=\"/email-delivery/ndr/brand-new/\"";
    assert!(!server.get("/email-delivery/ndr/step-2/").2.contains(href));
    assert!(server.get("/search/meta.json").2.contains("\"n\":12,"));

    site.write("content/email-delivery/ndr/brand-new.md", "---\ntitle: Brand new article\n---\nHello.\n");
    let data = events.expect("reload", |d| d.contains("/email-delivery/ndr/brand-new/"));
    assert!(data.contains("/email-delivery/ndr/step-2/"), "the page linking to it changed: {data}");
    // Relinked from the pages in memory, not a whole-site rebuild from disk.
    let line = server.wait_log("brand-new.md: rebuilt");
    assert!(line.contains("1 page and the navigation and listings"), "{line}");
    assert!(server.get("/email-delivery/ndr/step-2/").2.contains(href), "link resolves now");
    server.wait_log("search index (rebuilt");
    assert!(server.get("/search/meta.json").2.contains("\"n\":13,"), "search knows the new page");

    std::fs::remove_file(site.root().join("content/email-delivery/ndr/brand-new.md")).unwrap();
    let data = events.expect("reload", |d| d.contains("/email-delivery/ndr/brand-new/"));
    assert!(data.contains("/email-delivery/ndr/step-2/"), "{data}");
    assert_eq!(server.get("/email-delivery/ndr/brand-new/").0, 404);
    assert!(!server.get("/email-delivery/ndr/step-2/").2.contains(href));
    assert!(!server.get("/email-delivery/ndr/").2.contains("Brand new article"), "listing");

    // Marking an article a draft takes it out of the preview (started without --drafts).
    let step10 = std::fs::read_to_string(site.root().join(STEP10)).unwrap();
    site.write(STEP10, &step10.replacen("---\n", "---\ndraft: true\n", 1));
    events.expect("reload", |d| d.contains("/email-delivery/ndr/step-10/"));
    assert_eq!(server.get("/email-delivery/ndr/step-10/").0, 404);
    server.wait_log("search index (rebuilt");
    assert!(server.get("/search/meta.json").2.contains("\"n\":11,"));
}

#[test]
fn links_follow_a_moved_or_renamed_page_whatever_their_spelling() {
    // The preview re-renders exactly the pages whose Markdown asked the site about a page
    // that moved: a percent-encoded link names neither the target's file stem nor its slug
    // as written, so no search of the page's text would find it.
    let site = Site::fixture("basic");
    site.write("content/misc/target page.md", "---\ntitle: Target page\n---\nHi.\n");
    site.write("content/misc/old-name.md", "---\ntitle: Old name\n---\nHello.\n");
    site.write(
        "content/accounts/mfa/linker.md",
        "---\ntitle: Linker\n---\n[encoded](../../misc/target%20page.md) and [renamed](../../misc/old-name.md).\n",
    );
    let server = Server::start(site.root());
    let events = server.events();
    let linker = "/accounts/mfa/linker/";
    let page = server.get(linker).2;
    assert!(
        page.contains("href=\"/misc/target-page/\"") && page.contains("href=\"/misc/old-name/\""),
        "{page}"
    );

    // The target's URL moves with a new slug: the page linking to it follows.
    site.write("content/misc/target page.md", "---\ntitle: Target page\nslug: moved-target\n---\nHi.\n");
    let data = events.expect("reload", |d| d.contains("/misc/moved-target/"));
    assert!(data.contains(linker), "the linking page was re-rendered: {data}");
    let page = server.get(linker).2;
    assert!(page.contains("href=\"/misc/moved-target/\"") && !page.contains("/misc/target-page/"), "{page}");

    // A page renamed on disk: the link no longer leads to the URL that is gone; written
    // to the new name, it leads to the new one.
    std::fs::rename(
        site.root().join("content/misc/old-name.md"),
        site.root().join("content/misc/new-name.md"),
    )
    .unwrap();
    let data = events.expect("reload", |d| d.contains("/misc/new-name/"));
    assert!(data.contains(linker), "{data}");
    assert!(!server.get(linker).2.contains("href=\"/misc/old-name/\""));
    assert_eq!(server.get("/misc/old-name/").0, 404);
    let text = std::fs::read_to_string(site.root().join("content/accounts/mfa/linker.md")).unwrap();
    site.write("content/accounts/mfa/linker.md", &text.replace("old-name.md", "new-name.md"));
    events.expect("reload", |d| d.contains(linker));
    assert!(server.get(linker).2.contains("href=\"/misc/new-name/\""));
}

#[test]
fn bad_saves_show_an_overlay_keep_the_last_good_page_and_clear_when_fixed() {
    let (site, server) = start();
    let events = server.events();
    let good = std::fs::read_to_string(site.root().join(STEP10)).unwrap();
    site.write(STEP10, "---\ntitle: [unclosed\n---\nBody.\n");
    let data = events.expect("build-error", |_| true);
    assert!(data.contains(r#""file":"content/email-delivery/ndr/step-10.md""#), "{data}");
    assert!(data.contains(r#""line":2"#), "{data}");
    server.wait_log("not rebuilt");
    let (status, _, body) = server.get("/email-delivery/ndr/step-10/");
    assert_eq!(status, 200, "the server stays up");
    assert!(body.contains("Fix it"), "last good page still served");

    // A page opened while the error stands gets the overlay at once.
    let late = server.events();
    late.expect("build-error", |d| d.contains("step-10.md"));

    site.write(STEP10, &good.replace("Done.", "Done again."));
    events.expect("ok", |_| true);
    assert!(server.get("/email-delivery/ndr/step-10/").2.contains("Done again."));

    // An unclosed admonition and a template error are reported the same way.
    site.write(STEP10, &good.replace("Done.", ":::warning\nNever closed.\n"));
    let data = events.expect("build-error", |_| true);
    assert!(data.contains("step-10.md"), "{data}");
    // The search update that follows the save leaves that overlay up.
    server.wait_log("search index");
    server.events().expect("build-error", |d| d.contains("step-10.md"));
    site.write(STEP10, &good);
    events.expect("ok", |_| true);
    site.write("templates/page.html", "<html><body>{{ page.title | no_such_filter }}</body></html>");
    let data = events.expect("build-error", |_| true);
    assert!(data.contains("page.html"), "{data}");
    std::fs::remove_file(site.root().join("templates/page.html")).unwrap();
    events.expect("ok", |_| true);
}

#[test]
fn css_changes_swap_stylesheets_without_reloading() {
    let (site, server) = start_with_folders(&["static/assets"]);
    let events = server.events();
    site.write("static/assets/style.css", "body { color: rebeccapurple }\n");
    let data = events.expect("css", |_| true);
    assert_eq!(data, r#"{"paths":["/assets/style.css"]}"#);
    let later = events.drain(Duration::from_millis(500));
    assert!(!later.iter().any(|(k, _)| k == "reload"), "{later:?}");
    assert!(server.get("/assets/style.css").2.contains("rebeccapurple"));
}

#[test]
fn no_request_leaves_the_site() {
    let (site, server) = start();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.root().join("content/leak.txt"))
        .unwrap();
    #[cfg(unix)]
    server.wait_log("rebuilt");
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/assets/..%2f..%2fsite.toml",
        "/..\\..\\site.toml",
        "/assets%5c..%5c..%5csite.toml",
        "/%00",
        "/leak.txt",
        "/site.toml",
        "/content/top-level.md",
    ] {
        let (status, _, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("root:") && !body.contains("TOP SECRET") && !body.contains("title ="),
            "{path}"
        );
    }
}

#[test]
fn binds_loopback_and_serves_100_concurrent_connections() {
    let (_site, server) = start();
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    let addr = server.addr.clone();
    let threads: Vec<_> = (0..100)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/email-delivery/ndr/step-2/" } else { "/assets/kiln.js" };
                request(&addr, path).0
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
}

#[test]
fn a_broken_config_at_start_keeps_the_server_up_until_fixed() {
    let site = Site::fixture("basic");
    site.write("site.toml", "title = \"KB\"\nnot_a_key = 1\n");
    let server = Server::start(site.root());
    let events = server.events();
    let data = events.expect("build-error", |_| true);
    assert!(data.contains("not_a_key"), "{data}");
    assert_eq!(server.get("/").0, 404);
    site.write("site.toml", "title = \"KB\"\n");
    events.expect("ok", |_| true);
    assert_eq!(server.get("/").0, 200);
}
