//! Command-line interface: argument parsing, printing diagnostics and the summary line,
//! and exit codes (0 success, 1 content errors, 2 usage or configuration errors).

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, BuildReport, build};
use crate::error::Error;

/// Kiln builds a knowledge base of Markdown articles into a static site.
#[derive(Debug, Parser)]
#[command(name = "kiln", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `error: file:line:col: message` lines on stderr, then the summary on stdout.
    Human,
    /// One JSON document on stdout: the diagnostics and the counts.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`) on stdout,
    /// so problems show on the pull request's diff; then the summary.
    Github,
}

/// Kiln's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/ under the site root).
    Build {
        /// Site root holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: `output_dir` from site.toml, "public").
        #[arg(long)]
        output: Option<PathBuf>,
        /// Base URL the site is served from, overriding site.toml (e.g. https://org.github.io/kb/).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print the time each pipeline stage took.
        #[arg(long)]
        timings: bool,
        /// Ignore the build cache in .kiln-cache/: render everything and write a fresh
        /// output folder (the cache is neither read nor updated).
        #[arg(long)]
        no_cache: bool,
        /// How to print diagnostics: human, json (one document on stdout) or github
        /// (GitHub Actions annotations on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat every warning as an error (exit 1, nothing written).
        #[arg(long)]
        strict: bool,
        /// Replace an existing non-empty output folder that kiln did not write (without it,
        /// kiln only replaces folders holding its .kiln-output marker).
        #[arg(long)]
        force: bool,
        /// Who the site is for: `public` leaves articles marked `audience: internal` out of
        /// everything; `internal` builds all, internal articles badged.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
    },
    /// Load and render everything, print every diagnostic, write nothing.
    Check {
        /// Site root holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// How to print diagnostics: human, json (one document on stdout) or github
        /// (GitHub Actions annotations on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat every warning as an error (exit 1, nothing written).
        #[arg(long)]
        strict: bool,
        /// Who the site is for: `public` leaves articles marked `audience: internal` out of
        /// everything; `internal` builds all, internal articles badged.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
    },
    /// Build into memory, serve it, and rebuild and reload the open pages on every save.
    Serve {
        /// Site root holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also answer requests for this host name (repeatable); by default only localhost,
        /// 127.0.0.1, [::1] and the bound address are answered, so no other web site can
        /// read the preview through a name that resolves to this machine.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Who the site is for: `public` leaves articles marked `audience: internal` out of
        /// everything; `internal` builds all, internal articles badged.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
    },
    /// Start an article from a template: writes content/<category>/<folder>/<slug>.md.
    New {
        /// The article's title.
        title: String,
        /// Its category (label or slug).
        #[arg(long)]
        category: Option<String>,
        /// Its folder in the category; `/` nests.
        #[arg(long, requires = "category")]
        folder: Option<String>,
        /// The template: templates/articles/<NAME>.md (`article`: a KB article, built in).
        #[arg(long, value_name = "NAME", default_value = "article")]
        template: String,
        /// Site root holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Move a Freshdesk or Zendesk knowledge base into a site: structure, articles as
    /// Markdown, files, old URLs as aliases, agent-only articles internal. Run again to
    /// update; files edited since are kept.
    Import {
        /// The helpdesk.
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Create a new site (site.toml, one sample article and the article template) in DIR;
    /// or, with `--from mkdocs.yml`, write the site.toml equivalent to a MkDocs project's
    /// settings beside it.
    Init {
        /// Folder to create the site in.
        #[arg(required_unless_present = "from")]
        dir: Option<PathBuf>,
        /// A MkDocs project's `mkdocs.yml` to take the settings from.
        #[arg(long, value_name = "MKDOCS_YML", conflicts_with = "dir")]
        from: Option<PathBuf>,
    },
}

/// `kiln import`'s helpdesks.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// Freshdesk Solutions (categories → folders → sub-folders → articles, translations).
    Freshdesk(ImportArgs),
    /// Zendesk Guide (categories → sections → sub-sections → articles, translations).
    Zendesk(ImportArgs),
}

/// Where `kiln import` reads from and writes to.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Fetch live from the helpdesk (https://acme.freshdesk.com, https://acme.zendesk.com);
    /// credentials from FRESHDESK_API_KEY, or ZENDESK_EMAIL and ZENDESK_TOKEN.
    #[arg(long, conflicts_with = "from", required_unless_present = "from")]
    pub url: Option<String>,
    /// Read a folder of saved API responses instead (the vendor's JSON, unchanged).
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// The site to import into; created (site.toml, content/) when it has no site.toml.
    #[arg(long, value_name = "SITE", default_value = ".")]
    pub into: PathBuf,
    /// Keep what --url fetched in this folder, in the --from format, to import again offline.
    #[arg(long, value_name = "DIR", requires = "url")]
    pub save_export: Option<PathBuf>,
    /// Overwrite files edited since the last import (and remove edited files the source
    /// no longer has).
    #[arg(long)]
    pub force: bool,
}

/// `--audience`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AudienceArg {
    /// Readers: internal articles left out.
    Public,
    /// Agents: everything, internal articles badged.
    Internal,
}

impl From<AudienceArg> for crate::config::Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::Public => crate::config::Audience::Public,
            AudienceArg::Internal => crate::config::Audience::Internal,
        }
    }
}

/// Parse arguments, run, and return the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
            no_cache,
            format,
            strict,
            force,
            audience,
        } => {
            let opts = BuildOptions {
                root,
                output,
                base_url,
                drafts,
                write: true,
                cache: !no_cache,
                strict,
                links_are_errors: false,
                force,
                reports: false,
                audience: audience.into(),
            };
            run(&opts, "built", timings, format)
        }
        Command::Check { root, drafts, format, strict, audience } => {
            let opts = BuildOptions {
                root,
                drafts,
                write: false,
                strict,
                links_are_errors: true,
                reports: true,
                audience: audience.into(),
                ..Default::default()
            };
            run(&opts, "checked", false, format)
        }
        Command::Serve { root, port, bind, open, drafts, allow_host, audience } => {
            let opts = crate::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                drafts,
                allow_hosts: allow_host,
                audience: audience.into(),
            };
            match crate::serve::serve(opts) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: {}", crate::base::text::escape_controls(&e.to_string()));
                    2
                }
            }
        }
        Command::New { title, category, folder, template, root } => {
            let article = crate::init::NewArticle {
                title: &title,
                category: category.as_deref(),
                folder: folder.as_deref(),
                template: &template,
            };
            new_article(&root, &article)
        }
        Command::Init { dir, from } => init(dir, from),
        Command::Import { from } => import(from),
    }
}

/// `kiln import freshdesk|zendesk …`: the report on stdout, its notes on stderr.
fn import(from: ImportFrom) -> i32 {
    let (vendor, args) = match from {
        ImportFrom::Freshdesk(a) => (crate::import::Vendor::Freshdesk, a),
        ImportFrom::Zendesk(a) => (crate::import::Vendor::Zendesk, a),
    };
    let opts = crate::import::ImportOptions {
        vendor,
        url: args.url,
        from: args.from,
        into: args.into,
        save_export: args.save_export,
        force: args.force,
    };
    match crate::import::import(&opts) {
        Ok(report) => {
            eprint!("{}", report.notes_text());
            print!("{}", report.summary(&opts.into));
            0
        }
        Err(e) => report_error(&e),
    }
}

/// `kiln init DIR` or `kiln init --from mkdocs.yml`.
fn init(dir: Option<PathBuf>, from: Option<PathBuf>) -> i32 {
    if let Some(mkdocs) = from {
        return match crate::init::init_from_mkdocs(&mkdocs) {
            Ok((written, notes)) => {
                for n in notes {
                    eprintln!("{n}");
                }
                println!("kiln: wrote {}; the mkdocs.yml is unchanged", written.display());
                0
            }
            Err(e) => report_error(&e),
        };
    }
    let dir = dir.unwrap_or_default();
    match crate::init::init(&dir) {
        Ok(()) => {
            println!("kiln: created a new site in {}", dir.display());
            println!("      build it with: kiln build --root {}", dir.display());
            0
        }
        Err(e) => report_error(&e),
    }
}

/// `kiln new`: write the article and say where.
fn new_article(root: &std::path::Path, article: &crate::init::NewArticle) -> i32 {
    match crate::init::new_article(root, article) {
        Ok(path) => {
            let shown = path.strip_prefix(root).unwrap_or(&path);
            println!("kiln: wrote {}", crate::base::text::escape_controls(&shown.to_string_lossy()));
            0
        }
        Err(e) => report_error(&e),
    }
}

fn run(opts: &BuildOptions, verb: &str, timings: bool, format: Format) -> i32 {
    match build(opts) {
        Ok(report) => {
            print_diagnostics(&report, format);
            if timings {
                for lap in &report.timings {
                    let secs = lap.time.as_secs_f64();
                    if lap.cpu {
                        eprintln!("timing:   {:<14} {secs:>8.3} s CPU, summed over threads", lap.stage);
                    } else {
                        eprintln!("timing: {:<16} {secs:>8.3} s", lap.stage);
                    }
                }
            }
            if let Some((written, kept)) = report.changed {
                eprintln!(
                    "kiln: updated the last build in place: {written} files written, {kept} unchanged \
                     (--no-cache for a build from scratch)"
                );
            }
            // JSON keeps stdout to the one document.
            if format == Format::Json {
                eprintln!("{}", summary(&report, verb));
            } else {
                println!("{}", summary(&report, verb));
            }
            if report.errors() > 0 { 1 } else { 0 }
        }
        Err(e) => report_error(&e),
    }
}

fn report_error(e: &Error) -> i32 {
    match e {
        Error::Config(d) | Error::Content(d) => eprintln!("{d}"),
        other => eprintln!("error: {}", crate::base::text::escape_controls(&other.to_string())),
    }
    e.exit_code()
}

fn print_diagnostics(report: &BuildReport, format: Format) {
    match format {
        Format::Human => {
            let stderr = std::io::stderr();
            let mut out = stderr.lock();
            for d in &report.diagnostics {
                let _ = writeln!(out, "{d}");
            }
            for t in &report.translations {
                let _ = writeln!(out, "{}", translation_line(t));
            }
        }
        Format::Github => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for d in &report.diagnostics {
                let _ = writeln!(out, "{}", github_annotation(d));
            }
            for t in &report.translations {
                let _ = writeln!(out, "::notice::{}", translation_line(t));
            }
        }
        Format::Json => {
            let doc = serde_json::json!({
                "diagnostics": report.diagnostics,
                "errors": report.errors(),
                "warnings": report.warnings(),
                "pages": report.pages,
                "translations": report.translations,
            });
            println!("{doc}");
        }
    }
}

/// One language's translation status for people: `fr: 38 of 40 articles translated (2
/// missing, 1 outdated)`.
fn translation_line(t: &crate::check::TranslationStatus) -> String {
    format!(
        "translations: {}: {} of {} articles translated ({} missing, {} outdated)",
        t.language,
        t.translated,
        t.articles,
        t.missing(),
        t.outdated
    )
}

/// A GitHub Actions workflow command for one diagnostic. Properties and message are
/// escaped as the runner expects (`%`, CR, LF everywhere; `:` and `,` in properties).
pub fn github_annotation(d: &crate::diagnostics::Diagnostic) -> String {
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let level = match d.severity {
        crate::diagnostics::Severity::Error => "error",
        crate::diagnostics::Severity::Warning => "warning",
        crate::diagnostics::Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(f) = &d.file {
        props.push(format!("file={}", prop(&f.to_string_lossy().replace('\\', "/"))));
    }
    if let Some(l) = d.line {
        props.push(format!("line={l}"));
    }
    if let Some(c) = d.col {
        props.push(format!("col={c}"));
    }
    let sep = if props.is_empty() { "" } else { " " };
    format!("::{level}{sep}{}::{}", props.join(","), data(&d.message))
}

/// The final line: pages, categories, folders, warnings, errors and elapsed time.
pub fn summary(r: &BuildReport, verb: &str) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "kiln: {} {}, {}, {}, {}, {} in {:.2} s",
        if r.errors() > 0 { "failed:" } else { verb },
        plural(r.pages, "page", "pages"),
        plural(r.categories, "category", "categories"),
        plural(r.folders, "folder", "folders"),
        plural(r.warnings(), "warning", "warnings"),
        plural(r.errors(), "error", "errors"),
        r.elapsed.as_secs_f64()
    );
    if let Some(out) = &r.output {
        line.push_str(&format!(" → {}", out.display()));
    } else if r.errors() > 0 && verb == "built" {
        line.push_str("; the output folder was left untouched");
    }
    line
}
