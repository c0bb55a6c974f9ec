//! Two builds of the same input are byte-identical (issue 5, point 4): parallel rendering,
//! hash maps and the search index's worker-order term ids must not leak into the output.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Site, run};

/// Every file under `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn assert_same(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert!(ta.len() > 10, "a real site was built: {} files", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>(), "same files");
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two builds");
    }
}

#[test]
fn the_example_site_builds_byte_identical_twice() {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    for n in ["one", "two"] {
        run(&["build", "--root", root, "--output", out.path().join(n).to_str().unwrap()]).ok();
    }
    assert_same(&out.path().join("one"), &out.path().join("two"));
}

#[test]
fn a_fixture_with_code_tags_and_search_builds_byte_identical_twice() {
    let site = Site::fixture("basic");
    // Enough articles that rayon splits the work across threads in different ways.
    for i in 0..60 {
        let code =
            if i % 2 == 0 { "```powershell\nGet-Mailbox -Identity x\n```" } else { "```bash\necho x\n```" };
        site.write(
            &format!("content/bulk/f{}/page-{i}.md", i % 3),
            &format!("---\ntitle: Page {i}\ntags: [t{}, shared]\n---\nWord{i} text.\n\n{code}\n", i % 7),
        );
    }
    let out = tempfile::tempdir().unwrap();
    for n in ["one", "two"] {
        site.build(&["--output", out.path().join(n).to_str().unwrap()]).ok();
    }
    assert_same(&out.path().join("one"), &out.path().join("two"));
}
