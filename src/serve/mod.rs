//! `kiln serve`: build into memory, serve over HTTP, watch the site, rebuild what each save
//! affects, and tell the open pages (server-sent events) to reload or show an error.
//!
//! The build never touches `public/`. Errors never stop the server: the last good site
//! stays served and the browser shows an overlay until the file is fixed.

mod batch;
pub mod files;
pub mod http;
pub mod origin;
pub mod session;
pub mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::broadcast;

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};
use files::Files;
use http::{Message, Shared};
use session::{Outcome, Session};

/// How long after a page reload the search index is updated.
const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// Options of `kiln serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on (127.0.0.1 unless told otherwise).
    pub bind: std::net::IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Host names the preview answers to besides local ones (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Who the preview is for (`--audience`).
    pub audience: crate::config::Audience,
}

/// Run the preview until the process is stopped. Returns only on setup errors.
pub fn serve(opts: ServeOptions) -> Result<()> {
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).map_err(|e| {
        Error::usage(format!("cannot listen on {}:{}: {e} (choose another --port)", opts.bind, opts.port))
    })?;
    let addr = listener.local_addr().map_err(|e| Error::usage(format!("listening socket: {e}")))?;
    let url = format!("http://{addr}/");
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: Some(url.clone()),
        drafts: opts.drafts,
        write: false,
        cache: false,
        strict: false,
        links_are_errors: false,
        force: false,
        reports: false,
        audience: opts.audience,
    };
    let mut session = Session::new(build_opts);
    let (events, _) = broadcast::channel(64);
    let shared = Shared {
        files: Arc::new(RwLock::new(Arc::new(Files::new()))),
        events,
        overlay: Arc::new(RwLock::new(None)),
    };

    // A broken site.toml or theme at start-up is shown like any other error: the server
    // comes up, and the first good save builds the site.
    let first = session.full(&Files::new()).unwrap_or_else(|e| Outcome::from_error(&e));
    publish(&shared, &first, &[]);
    report(&first, "initial build");

    listener.set_nonblocking(true).map_err(|e| Error::usage(format!("listening socket: {e}")))?;
    spawn_http(listener, shared.clone(), origin::Policy::new(addr.ip(), &opts.allow_hosts));
    // Watching starts before the URL is printed, so no save made after it is missed.
    let watch = watch::Watch::new(&opts.root)?;
    println!("kiln: serving {url} (watching {}; Ctrl-C to stop)", opts.root.display());
    if opts.open {
        open_browser(&url);
    }

    // The search index is brought up to date a moment after a page reload is sent, so its
    // work does not compete with the browser reloading the page; a save in the meantime is
    // handled first.
    let mut search_due: Option<Instant> = None;
    loop {
        let batch = match watch.next_batch_until(search_due) {
            Some(batch) => batch,
            None if search_due.is_some() => {
                search_due = None;
                refresh_search(&mut session, &shared)?;
                continue;
            }
            None => break,
        };
        let names: Vec<&str> = batch.iter().map(String::as_str).collect();
        // Configuration and theme errors are shown like content errors; the server stays up.
        let outcome = session.apply(&batch, &shared.snapshot()).unwrap_or_else(|e| Outcome::from_error(&e));
        publish(&shared, &outcome, &names);
        report(&outcome, &names.join(", "));
        if session.search_pending() {
            search_due = Some(Instant::now() + SEARCH_DELAY);
        }
    }
    Ok(())
}

/// Answer HTTP on `listener` from its own runtime thread (two workers), until the process
/// ends; a server that cannot start or stops ends the process.
fn spawn_http(listener: std::net::TcpListener, served: Shared, policy: origin::Policy) {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
        let Ok(runtime) = runtime else {
            eprintln!("kiln: cannot start the HTTP runtime");
            std::process::exit(2);
        };
        runtime.block_on(async move {
            let listener = match tokio::net::TcpListener::from_std(listener) {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("kiln: cannot listen: {e}");
                    std::process::exit(2);
                }
            };
            if let Err(e) = http::run(listener, served, policy).await {
                eprintln!("kiln: server stopped: {e}");
                std::process::exit(2);
            }
        });
    });
}

fn refresh_search(session: &mut Session, shared: &Shared) -> Result<()> {
    let out = session.search(&shared.snapshot())?;
    // Only index files change: no page to reload, and the overlay of the save that made
    // the index stale (its warnings) must stay up.
    swap_files(shared, &out);
    println!("kiln:   {} updated in {} ms", out.what, out.elapsed.as_millis());
    Ok(())
}

/// The overlay's JSON for some diagnostics.
fn overlay_json<'a>(diags: impl Iterator<Item = &'a Diagnostic>, warning: bool) -> String {
    let diags: Vec<_> = diags
        .map(|d| {
            json!({
                "file": d.file.as_deref().map(slash_path),
                "line": d.line,
                "col": d.col,
                "message": d.message,
            })
        })
        .collect();
    json!({ "diagnostics": diags, "warning": warning }).to_string()
}

/// Swap the outcome's files in and tell the pages. Errors keep the served site and raise
/// the overlay; so do warnings about the files just saved (an unclosed admonition renders,
/// but the writer should see it), after the pages have been updated.
fn publish(shared: &Shared, out: &Outcome, saved: &[&str]) {
    if out.failed() {
        let data = overlay_json(out.diagnostics.iter().filter(|d| d.is_error()), false);
        *shared.overlay.write().unwrap_or_else(|e| e.into_inner()) = Some(data.clone());
        let _ = shared.events.send(Message { kind: "build-error", data });
        return;
    }
    let about_saved: Vec<&Diagnostic> = out
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref().is_some_and(|f| saved.contains(&slash_path(f).as_str())))
        .collect();
    swap_files(shared, out);
    let warn = (!about_saved.is_empty()).then(|| overlay_json(about_saved.into_iter(), true));
    let had_overlay =
        std::mem::replace(&mut *shared.overlay.write().unwrap_or_else(|e| e.into_inner()), warn.clone());
    if had_overlay.is_some() && warn.is_none() {
        let _ = shared.events.send(Message { kind: "ok", data: "{}".into() });
    }
    if !out.changed_css.is_empty() {
        let _ = shared
            .events
            .send(Message { kind: "css", data: json!({ "paths": out.changed_css }).to_string() });
    }
    if !out.changed_pages.is_empty() {
        let _ = shared
            .events
            .send(Message { kind: "reload", data: json!({ "paths": out.changed_pages }).to_string() });
    }
}

/// Put the outcome's files into the served site.
fn swap_files(shared: &Shared, out: &Outcome) {
    let mut files = shared.files.write().unwrap_or_else(|e| e.into_inner());
    let mut next: Files = (**files).clone();
    for path in &out.removed {
        next.remove(path);
    }
    next.extend(out.updated.iter().map(|(k, v)| (k.clone(), v.clone())));
    *files = Arc::new(next);
}

/// One line per rebuild in the terminal, plus its diagnostics.
fn report(out: &Outcome, trigger: &str) {
    for d in &out.diagnostics {
        eprintln!("{d}");
    }
    if out.failed() {
        eprintln!("kiln: {trigger}: not rebuilt, fix the errors above (the last good site stays served)");
    } else {
        println!(
            "kiln: {trigger}: rebuilt {} in {} ms, {} page{} changed",
            out.what,
            out.elapsed.as_millis(),
            out.changed_pages.len(),
            session::plural(out.changed_pages.len())
        );
    }
}

/// A path as the overlay and the watcher spell it: `/`-separated.
fn slash_path(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        eprintln!("kiln: could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}
