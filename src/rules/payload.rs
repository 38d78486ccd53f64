//! Payload statements: SQL split on `;` outside quotes and comments, with comments removed, so a
//! `payload:` condition is checked one statement at a time (`DELETE ...; SELECT ... WHERE` is
//! still a DELETE without WHERE). A JSON or GraphQL body is also checked as one whole text.

/// The statements of one payload text, in order, trimmed, empty ones left out.
pub fn statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            current.push(c);
            if c == '\\' && q == '"' {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                current.push(c);
            }
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                current.push(' ');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                current.push(' ');
            }
            ';' => {
                push_statement(&mut out, &mut current);
            }
            c => current.push(c),
        }
    }
    push_statement(&mut out, &mut current);
    if is_whole_body(text) {
        let whole = text.trim().to_string();
        if !out.contains(&whole) {
            out.push(whole);
        }
    }
    out
}

fn push_statement(out: &mut Vec<String>, current: &mut String) {
    let statement = current.trim();
    if !statement.is_empty() {
        out.push(statement.to_string());
    }
    current.clear();
}

/// A JSON document or a GraphQL operation, which is one request however many `;` it holds.
fn is_whole_body(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{')
        || t.starts_with('[')
        || ["query", "mutation", "subscription"].iter().any(|k| {
            t.strip_prefix(k)
                .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '{' || c == '('))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        assert_eq!(
            statements("DELETE FROM t; SELECT 1 WHERE a = ';'"),
            ["DELETE FROM t", "SELECT 1 WHERE a = ';'"]
        );
        assert_eq!(statements("SELECT \"a;b\";;  "), ["SELECT \"a;b\""]);
        assert_eq!(
            statements("SELECT 1 -- DROP TABLE x; y\n; z"),
            ["SELECT 1", "z"]
        );
        assert_eq!(statements("a /* ; DROP */ b"), ["a   b"]);
        assert_eq!(statements("SELECT 'it''s'; b"), ["SELECT 'it''s'", "b"]);
    }

    #[test]
    fn json_and_graphql_bodies_are_also_whole() {
        let body = r#"{"query":"mutation { a(x: 1) }"}"#;
        assert_eq!(statements(body), [body]);
        let gql = "mutation { a; b }";
        assert_eq!(statements(gql), ["mutation { a", "b }", gql]);
        assert_eq!(
            statements("select 1; select 2").len(),
            2,
            "SQL is not a body"
        );
    }
}
