//! Related articles under each article: computed from the articles' words, pinned by
//! front matter, limited by site.toml, and in warm builds re-rendered only where the set
//! changes.

mod common;
#[path = "common/server.rs"]
mod server;

use std::path::Path;

use common::{Site, assert_same};

/// A help centre of three topics in two categories.
fn site() -> Site {
    let article = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n{body}\n");
    Site::with_files(&[
        ("site.toml", "title = \"Help\"\n"),
        (
            "content/printing/toner/replace-toner.md",
            &article(
                "Replace the toner cartridge",
                "The printer shows a toner warning. Open the printer cover and replace the toner cartridge.",
            ),
        ),
        (
            "content/printing/toner/toner-streaks.md",
            &article(
                "Streaks on printed pages",
                "Streaks come from an old toner cartridge. Shake the toner or replace it.",
            ),
        ),
        (
            "content/printing/paper/paper-jam.md",
            &article(
                "Clear a paper jam",
                "The printer stops with a paper jam. Open the tray and pull the paper out.",
            ),
        ),
        (
            "content/network/vpn/vpn-setup.md",
            &article("Set up the VPN client", "Install the VPN client and sign in with your work account."),
        ),
        (
            "content/network/vpn/vpn-drops.md",
            &article(
                "VPN disconnects every hour",
                "The VPN client drops the tunnel; renew the VPN certificate.",
            ),
        ),
        (
            "content/network/wifi/guest-wifi.md",
            &article("Guest Wi-Fi for visitors", "Visitors join the guest network with a daily code."),
        ),
    ])
}

/// The titles in an article's `<nav class="related-articles">`, in order (empty without one).
fn related(site: &Site, page: &str) -> Vec<String> {
    let html = site.out(&format!("{page}/index.html"));
    let Some(start) = html.find("<nav class=\"related-articles\"") else { return Vec::new() };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li><a href=\"")
        .skip(1)
        .map(|li| li[li.find("\">").unwrap() + 2..li.find("</a>").unwrap()].to_string())
        .collect()
}

#[test]
fn articles_relate_by_their_words_and_category() {
    let site = site();
    site.build(&["--no-cache"]).ok();
    let toner = related(&site, "printing/toner/replace-toner");
    assert_eq!(toner.first().map(String::as_str), Some("Streaks on printed pages"), "{toner:?}");
    assert!(toner.contains(&"Clear a paper jam".to_string()), "same category, shares `printer`: {toner:?}");
    assert!(!toner.iter().any(|t| t.contains("VPN") || t.contains("Wi-Fi")), "{toner:?}");
    let vpn = related(&site, "network/vpn/vpn-setup");
    assert_eq!(vpn, ["VPN disconnects every hour"]);
    // An article that shares nothing worth comparing gets no block at all.
    assert!(related(&site, "network/wifi/guest-wifi").is_empty());
    let html = site.out("network/vpn/vpn-setup/index.html");
    assert!(
        html.contains("aria-labelledby=\"kiln-related-title\"") && html.contains(">Related articles</h2>")
    );
}

#[test]
fn the_choice_is_the_same_on_every_build() {
    let site = site();
    for i in 0..30 {
        site.write(
            &format!("content/printing/toner/more-{i}.md"),
            &format!("---\ntitle: Toner note {i}\n---\nToner cartridge printer note {}.\n", i % 4),
        );
    }
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        site.build(&["--no-cache", "--output", out.join("o").to_str().unwrap()]).ok();
    }
    assert_same(&a.path().join("o"), &b.path().join("o"));
}

#[test]
fn front_matter_pins_articles_first_or_turns_the_block_off() {
    let site = site();
    site.write(
        "content/printing/toner/replace-toner.md",
        "---\ntitle: Replace the toner cartridge\nrelated:\n  - ../../network/vpn/vpn-setup.md\n  - /network/wifi/guest-wifi\n  - no/such-article.md\n---\nThe printer shows a toner warning. Replace the toner cartridge.\n",
    );
    site.write(
        "content/printing/toner/toner-streaks.md",
        "---\ntitle: Streaks on printed pages\nrelated: false\n---\nStreaks come from an old toner cartridge.\n",
    );
    let run = site.build(&["--no-cache"]).ok();
    let toner = related(&site, "printing/toner/replace-toner");
    assert_eq!(toner[..2], ["Set up the VPN client", "Guest Wi-Fi for visitors"], "{toner:?}");
    // Computed ones fill the rest; an article with `related: false` is still among them.
    assert_eq!(toner[2..], ["Streaks on printed pages"]);
    assert!(related(&site, "printing/toner/toner-streaks").is_empty());
    let d = run.diag("no/such-article.md");
    assert!(d.starts_with("warning:") && d.contains("replace-toner.md:3:1:"), "{d}");
    assert_ne!(site.build(&["--no-cache", "--strict"]).code, 0, "a pin to no article fails --strict");
}

#[test]
fn site_toml_limits_how_many() {
    let site = site();
    for i in 0..8 {
        site.write(
            &format!("content/printing/toner/t{i}.md"),
            &format!("---\ntitle: Toner {i}\n---\nToner cartridge printer.\n"),
        );
    }
    site.build(&["--no-cache"]).ok();
    assert_eq!(related(&site, "printing/toner/t0").len(), 5, "five by default");
    site.write("site.toml", "title = \"Help\"\n[related]\nlimit = 2\n");
    site.build(&["--no-cache"]).ok();
    assert_eq!(related(&site, "printing/toner/t0").len(), 2);
    site.write("site.toml", "title = \"Help\"\n[related]\nlimit = 0\n");
    site.build(&["--no-cache"]).ok();
    assert!(!site.out("printing/toner/t0/index.html").contains("related-articles"));
}

fn modified(site: &Site, page: &str) -> std::time::SystemTime {
    let p = site.public().join(page).join("index.html");
    std::fs::metadata(Path::new(&p)).unwrap().modified().unwrap()
}

/// Date every file under `content/` an hour back, so the build cache trusts their stamps
/// and a warm build does not read them (their signatures then come from its record).
fn age_content(site: &Site) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(site.root().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            std::fs::File::options().write(true).open(entry.path()).unwrap().set_modified(hour_ago).unwrap();
        }
    }
}

/// The pages whose file's time differs between two readings.
fn changed<'a>(
    pages: &[&'a str],
    before: &[std::time::SystemTime],
    after: &[std::time::SystemTime],
) -> Vec<&'a str> {
    pages.iter().zip(before.iter().zip(after)).filter(|(_, (b, a))| b != a).map(|(p, _)| *p).collect()
}

#[test]
fn a_warm_build_renders_again_only_pages_whose_related_set_changed() {
    let site = site();
    age_content(&site);
    site.build(&[]).ok();
    let pages = [
        "printing/toner/replace-toner",
        "printing/toner/toner-streaks",
        "printing/paper/paper-jam",
        "network/vpn/vpn-setup",
        "network/vpn/vpn-drops",
        "network/wifi/guest-wifi",
    ];
    let before: Vec<_> = pages.iter().map(|p| modified(&site, p)).collect();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // The guest Wi-Fi article's words change, but it shares none with any other article.
    site.write(
        "content/network/wifi/guest-wifi.md",
        "---\ntitle: Guest Wi-Fi for visitors\n---\nVisitors join the guest network with a code from reception.\n",
    );
    site.build(&[]).ok();
    let after: Vec<_> = pages.iter().map(|p| modified(&site, p)).collect();
    let rewritten = changed(&pages, &before, &after);
    assert_eq!(rewritten, ["network/wifi/guest-wifi"]);
    // Now it is about printers: the printing articles' sets change, the VPN ones' do not.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.write(
        "content/network/wifi/guest-wifi.md",
        "---\ntitle: Guest Wi-Fi for visitors\n---\nVisitors print on the guest printer: toner, cartridge and paper jam help.\n",
    );
    site.build(&[]).ok();
    let again: Vec<_> = pages.iter().map(|p| modified(&site, p)).collect();
    let rewritten = changed(&pages, &after, &again);
    assert!(rewritten.contains(&"printing/toner/replace-toner"), "{rewritten:?}");
    assert!(
        !rewritten.contains(&"network/vpn/vpn-setup") && !rewritten.contains(&"network/vpn/vpn-drops"),
        "{rewritten:?}"
    );
    assert!(related(&site, "printing/paper/paper-jam").contains(&"Guest Wi-Fi for visitors".to_string()));
    let cold = tempfile::tempdir().unwrap();
    site.build(&["--no-cache", "--output", cold.path().join("o").to_str().unwrap()]).ok();
    assert_same(&cold.path().join("o"), &site.public());
}

#[test]
fn the_preview_updates_other_articles_related_sets_on_a_body_edit() {
    let site = site();
    let server = server::Server::start(site.root());
    let events = server.events();
    let jam = || server.get("/printing/paper/paper-jam/").2;
    assert!(!jam().contains(">Guest Wi-Fi for visitors</a>"));
    site.write(
        "content/network/wifi/guest-wifi.md",
        "---\ntitle: Guest Wi-Fi for visitors\n---\nVisitors print on the guest printer: toner, cartridge and paper jam help.\n",
    );
    server.wait_log("rebuilt 1 page");
    let reloaded = events.expect("reload", |d| d.contains("/printing/paper/paper-jam/"));
    assert!(reloaded.contains("/network/wifi/guest-wifi/"), "{reloaded}");
    assert!(!reloaded.contains("/network/vpn/"), "pages whose set is the same do not reload: {reloaded}");
    assert!(jam().contains(">Guest Wi-Fi for visitors</a>"));
}
