//! `kiln import freshdesk|zendesk`: move a helpdesk knowledge base into a Kiln site.
//!
//! Fetch (`--url`, the only network Kiln uses; `fetch/`) or read (`--from`) the vendor's
//! export (`export.rs`) → one model for both vendors and their languages (`vendors.rs`,
//! `translations.rs` → `model.rs`) → places for every section and article (`layout.rs`) →
//! files: front matter, the body's HTML as Markdown (`html/`) with old links made relative
//! (`links.rs`) and files copied (`pages.rs`) → written so that a second run changes
//! nothing and local edits survive (`state.rs`).

pub mod export;
pub mod fetch;
pub mod html;
pub mod layout;
pub mod links;
pub mod model;
pub mod pages;
pub mod report;
pub mod state;
pub mod translations;
pub mod vendors;

use std::path::{Path, PathBuf};

pub use model::Vendor;

use crate::error::{Error, Result};

/// What `kiln import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Which helpdesk.
    pub vendor: Vendor,
    /// Fetch live from this helpdesk.
    pub url: Option<String>,
    /// Read saved API responses from this folder.
    pub from: Option<PathBuf>,
    /// The site to import into (created when absent).
    pub into: PathBuf,
    /// Keep what was fetched here, in the `--from` format.
    pub save_export: Option<PathBuf>,
    /// Overwrite files edited since the last import.
    pub force: bool,
}

/// What an import did, for the report.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Articles (translations not counted).
    pub articles: usize,
    /// Translations.
    pub translations: usize,
    /// Categories.
    pub categories: usize,
    /// Folders and sub-folders (sections).
    pub folders: usize,
    /// Draft articles.
    pub drafts: usize,
    /// Articles only agents see.
    pub internal: usize,
    /// Files copied next to articles.
    pub attachments: usize,
    /// Whether the site was created.
    pub created_site: bool,
    /// What writing did.
    pub outcome: state::Outcome,
    /// What needs a human look, by file and line (site-relative).
    pub notes: Vec<pages::Note>,
    /// Files that could not be fetched.
    pub missed: Vec<String>,
    /// The site's languages, when the import is multilingual: default first.
    pub languages: Vec<String>,
    /// The site.toml lines those languages need and the site does not have.
    pub site_toml_lacks: Vec<String>,
}

/// Run an import.
pub fn import(opts: &ImportOptions) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let (export_dir, scratch) = match (&opts.url, &opts.from) {
        (Some(url), None) => {
            let dir = opts.save_export.clone().unwrap_or_else(scratch_dir);
            // A scratch folder is made new (never one that a link already stands for).
            let made = match opts.save_export {
                Some(_) => std::fs::create_dir_all(&dir),
                None => std::fs::create_dir(&dir),
            };
            made.map_err(|e| Error::io("creating", &dir, e))?;
            let client = client(opts.vendor, url)?;
            let fetched = match opts.vendor {
                Vendor::Freshdesk => fetch::freshdesk(&client, &dir),
                Vendor::Zendesk => fetch::zendesk(&client, &dir),
            };
            let scratch = opts.save_export.is_none().then(|| dir.clone());
            match fetched {
                Ok(missed) => report.missed = missed,
                Err(e) => {
                    remove_scratch(scratch.as_deref());
                    return Err(e);
                }
            }
            (dir, scratch)
        }
        (None, Some(from)) => (from.clone(), None),
        _ => return Err(Error::usage("give either --url (fetch live) or --from DIR (saved API responses)")),
    };
    let result = import_from(opts, &export_dir, &mut report);
    remove_scratch(scratch.as_deref());
    result.map(|()| report)
}

fn import_from(opts: &ImportOptions, dir: &Path, report: &mut ImportReport) -> Result<()> {
    let export = export::Export::open(dir)?;
    let kb = vendors::read(opts.vendor, &export)?;
    let root = &opts.into;
    let languages: Vec<String> = kb.default_locale.iter().chain(&kb.locales).cloned().collect();
    let multilingual = !kb.locales.is_empty();
    if !root.join(crate::config::CONFIG_FILE).exists() {
        let langs = if multilingual { languages.clone() } else { Vec::new() };
        crate::init::init_for_import(root, &langs)?;
        report.created_site = true;
    }
    let config = crate::config::SiteConfig::load(root)?;
    let content = config.content_path(root)?;
    let content_rel =
        content.strip_prefix(root).unwrap_or(Path::new("content")).to_string_lossy().replace('\\', "/");
    let previous = state::previous_articles(root, &content_rel);
    let layout = layout::place(&kb, &previous);
    let planned = pages::pages(&kb, opts.vendor, &layout, &export)?;
    report.outcome = state::apply(root, &content_rel, opts.vendor.name(), &planned.files, opts.force)?;
    count(&kb, &layout, &planned, report);
    report.notes = planned
        .notes
        .into_iter()
        .map(|mut n| {
            n.path = format!("{content_rel}/{}", n.path);
            n
        })
        .collect();
    if multilingual {
        report.site_toml_lacks = site_toml_lacks(&config, &languages);
        report.languages = languages;
    }
    Ok(())
}

/// The lines site.toml needs for the import's languages and does not have.
fn site_toml_lacks(config: &crate::config::SiteConfig, languages: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(default) = languages.first() else { return lines };
    if config.default_language.is_none() {
        lines.push(format!("default_language = \"{default}\""));
    }
    if config.language_layout.is_none() {
        lines.push("language_layout = \"folders\"".into());
    }
    let has = |l: &String| config.languages.keys().any(|k| k.eq_ignore_ascii_case(l));
    lines.extend(languages.iter().filter(|l| !has(l)).map(|l| format!("[languages.{l}]")));
    lines
}

fn count(kb: &model::Kb, layout: &layout::Layout, planned: &pages::Pages, report: &mut ImportReport) {
    report.articles = kb.articles.len();
    report.translations = kb.articles.iter().map(|a| a.translations.len()).sum();
    report.categories = kb.sections.iter().filter(|s| s.parent.is_none()).count();
    report.folders = kb.sections.len() - report.categories;
    report.drafts = kb.articles.iter().filter(|a| a.draft).count();
    report.internal = kb.articles.iter().filter(|a| layout.is_internal(a)).count();
    report.attachments = planned.files.iter().filter(|f| f.key.starts_with("file:")).count();
}

/// The API client with the credentials from the environment.
fn client(vendor: Vendor, url: &str) -> Result<fetch::Client> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match vendor {
        Vendor::Freshdesk => {
            let key = var("FRESHDESK_API_KEY").ok_or_else(|| {
                Error::usage("set FRESHDESK_API_KEY to an agent's API key (Profile settings → View API key)")
            })?;
            fetch::Client::new(
                url,
                fetch::basic(key.trim(), "X"),
                "FRESHDESK_API_KEY (an agent's API key for this helpdesk)".into(),
            )
        }
        Vendor::Zendesk => {
            let (Some(email), Some(token)) = (var("ZENDESK_EMAIL"), var("ZENDESK_TOKEN")) else {
                return Err(Error::usage(
                    "set ZENDESK_EMAIL (an agent's email) and ZENDESK_TOKEN (an API token: Admin Center → Apps and integrations → Zendesk API)",
                ));
            };
            fetch::Client::new(
                url,
                fetch::basic(&format!("{}/token", email.trim()), token.trim()),
                "ZENDESK_EMAIL and ZENDESK_TOKEN (an agent's email and an API token of this account)".into(),
            )
        }
    }
}

fn scratch_dir() -> PathBuf {
    let stamp =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    std::env::temp_dir().join(format!("kiln-import-{}-{stamp}", std::process::id()))
}

fn remove_scratch(dir: Option<&Path>) {
    if let Some(d) = dir {
        let _ = std::fs::remove_dir_all(d);
    }
}
