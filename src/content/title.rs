//! Lifting the page's `# H1` out of the body, so that the title is not rendered twice.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Remove the page's H1 from `body` and return its text and 0-based line in the body. With `anywhere` (the page has no
/// title of its own) the first H1 is taken wherever it is; otherwise only an H1 that is
/// the body's first block, which would duplicate the template's title. The heading's bytes
/// are blanked but its newlines kept, so later line numbers still match the file.
pub fn lift_h1(body: &mut String, anywhere: bool) -> Option<(String, usize)> {
    let mut found: Option<(std::ops::Range<usize>, String)> = None;
    let mut in_h1: Option<(usize, String)> = None;
    let parser = Parser::new_ext(body, crate::markdown::parser_options()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => {
                in_h1 = Some((range.start, String::new()));
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                if let Some((start, text)) = in_h1.take() {
                    found = Some((start..range.end, text.trim().to_string()));
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) if in_h1.is_some() => {
                if let Some((_, text)) = in_h1.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(_) if in_h1.is_none() && !anywhere => return None,
            _ => {}
        }
    }
    let (range, text) = found?;
    if text.is_empty() {
        return None;
    }
    let line = body[..range.start].matches('\n').count();
    let blanked: String = body[range.clone()].chars().filter(|&c| c == '\n').collect();
    body.replace_range(range, &blanked);
    Some((text, line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifts_leading_h1_and_keeps_lines() {
        let mut b = String::from("# Hello `world`\n\nText\n");
        assert_eq!(lift_h1(&mut b, false), Some(("Hello world".into(), 0)));
        assert_eq!(b, "\n\nText\n");
    }

    #[test]
    fn later_h1_only_when_anywhere() {
        let mut b = String::from("Intro\n\n# Title\n");
        assert_eq!(lift_h1(&mut b, false), None);
        assert_eq!(lift_h1(&mut b, true), Some(("Title".into(), 2)));
    }

    #[test]
    fn setext_and_attributes() {
        let mut b = String::from("Title {#t}\n=====\n\nx");
        assert_eq!(lift_h1(&mut b, true), Some(("Title".into(), 0)));
        assert_eq!(b.matches('\n').count(), 3);
    }
}
