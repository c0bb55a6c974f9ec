//! Printable categories and folders (`[print] enabled`): every article of the section in
//! navigation order after a table of contents; Chromium prints it to PDF with a page per
//! article.

#[path = "common/browser.rs"]
mod browser;
mod common;

use common::{Site, assert_same};

/// Two categories; Networking has a folder and an article of its own.
fn site() -> Site {
    let article = |title: &str, weight: u32, body: &str| {
        format!(
            "---\ntitle: {title}\nweight: {weight}\n---\n## Cause\n\n{body}\n\n## Solution\n\nSee [the top](#cause).\n"
        )
    };
    Site::with_files(&[
        ("site.toml", "title = \"Help\"\n[print]\nenabled = true\n"),
        ("content/networking/vpn/install.md", &article("Install the VPN client", 1, "No client yet.")),
        ("content/networking/vpn/connect.md", &article("Connect to the VPN", 2, "Not connected.")),
        ("content/networking/office-wifi.md", &article("Office Wi-Fi", 1, "No Wi-Fi.")),
        ("content/email/outbox.md", &article("Messages stuck in the Outbox", 1, "Offline.")),
    ])
}

/// The article titles of a printable page, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("<article class=\"print-article\"")
        .skip(1)
        .map(|a| a[a.find("<h1>").unwrap() + 4..a.find("</h1>").unwrap()].to_string())
        .collect()
}

#[test]
fn each_category_and_folder_prints_its_articles_in_navigation_order() {
    let site = site();
    site.build(&["--no-cache"]).ok();
    let net = site.out("networking/print/index.html");
    // The folder first, as the sidebar lists it, then the category's own article.
    assert_eq!(titles(&net), ["Install the VPN client", "Connect to the VPN", "Office Wi-Fi"]);
    assert_eq!(
        titles(&site.out("networking/vpn/print/index.html")),
        ["Install the VPN client", "Connect to the VPN"]
    );
    assert_eq!(titles(&site.out("email/print/index.html")), ["Messages stuck in the Outbox"]);
    // A table of contents linking each part; ids made unique across the articles.
    assert!(net.contains("<li><a href=\"#a1\">Install the VPN client</a>"), "{net}");
    assert!(
        net.contains("id=\"a1-cause\"")
            && net.contains("id=\"a3-cause\"")
            && net.contains("href=\"#a2-cause\"")
    );
    assert!(net.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        site.out("networking/index.html").contains("<a href=\"/networking/print/\">Print all articles</a>")
    );
    assert!(!site.out("sitemap.xml").contains("/print/"));
    // Off unless asked for.
    site.write("site.toml", "title = \"Help\"\n");
    site.build(&["--no-cache"]).ok();
    assert!(!site.exists("networking/print/index.html"));
    assert!(!site.out("networking/index.html").contains("print-link"));
}

#[test]
fn content_named_print_keeps_its_url() {
    let site = site();
    site.write("content/email/print.md", "---\ntitle: Print an email\n---\nUse Ctrl+P.\n");
    site.build(&["--no-cache"]).ok();
    assert!(site.out("email/print/index.html").contains("Use Ctrl+P."));
    assert!(!site.out("email/index.html").contains("print-link"));
    assert!(site.exists("networking/print/index.html"));
}

#[test]
fn a_warm_build_rewrites_only_the_printable_pages_holding_an_edit_and_matches_a_cold_one() {
    let site = site();
    site.build(&[]).ok();
    let stamp = |rel: &str| std::fs::metadata(site.public().join(rel)).unwrap().modified().unwrap();
    let (email, net) = (stamp("email/print/index.html"), stamp("networking/print/index.html"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.write(
        "content/networking/vpn/connect.md",
        "---\ntitle: Connect to the VPN\nweight: 2\n---\n## Cause\n\nA new cause.\n",
    );
    site.build(&[]).ok();
    assert_eq!(stamp("email/print/index.html"), email, "a category without the edit is kept");
    assert_ne!(stamp("networking/print/index.html"), net);
    assert!(site.out("networking/vpn/print/index.html").contains("A new cause."));
    assert!(site.out("networking/print/index.html").contains("A new cause."));
    let cold = tempfile::tempdir().unwrap();
    site.build(&["--no-cache", "--output", cold.path().join("o").to_str().unwrap()]).ok();
    assert_same(&cold.path().join("o"), &site.public());
}

#[test]
fn chromium_prints_a_category_with_a_page_per_article() {
    let Some(path) = browser::chromium() else { return };
    let site = site();
    site.build(&["--no-cache"]).ok();
    let base = browser::serve(&site.public());
    let chrome = browser::launch(&path, 1024, 768);
    let tab = chrome.new_tab().unwrap();
    browser::goto(&tab, &format!("{base}/networking/print/"));
    let pdf = tab.print_to_pdf(None).expect("print to PDF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("networking.pdf");
    std::fs::write(&file, pdf).unwrap();
    let info = std::process::Command::new("pdfinfo").arg(&file).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    // The cover and contents, then each of the three articles on a page of its own.
    assert_eq!(pages, 4, "{info}");
    let text = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    let per_page: Vec<&str> = text.split('\u{c}').collect();
    for (n, title) in ["Install the VPN client", "Connect to the VPN", "Office Wi-Fi"].iter().enumerate() {
        assert!(per_page[0].contains(title), "contents list {title}: {}", per_page[0]);
        assert!(
            per_page[n + 1].trim_start().starts_with(title),
            "page {} starts with {title}: {}",
            n + 2,
            per_page[n + 1]
        );
    }
    // Print styles apply: no permalink marks, no site chrome.
    assert!(!text.contains("Permalink") && !per_page[1].contains(" #\n"), "{text}");
}
