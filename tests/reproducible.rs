//! Two builds of the same input are byte-identical (issue 5, point 4): parallel rendering,
//! hash maps and the search index's worker-order term ids must not leak into the output.

mod common;

use common::{Site, assert_same, run};

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
