//! Options read literally out of JavaScript and TypeScript configuration files
//! (`vite.config.ts`, `next.config.mjs`) without running them. DF300 needs a front-end's output
//! folder; a value that is not a plain string in the exported object (a variable, a condition,
//! a template, an assignment elsewhere) cannot be known offline, so the caller refuses.

/// What the reader sees of the source: comments are dropped, strings kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'t> {
    Word(&'t str),
    Str(String),
    /// A template literal with `${…}`: its value is computed.
    Template,
    Punct(char),
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let rest = &text[i..];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if matches!(c, b'\'' | b'"' | b'`') {
            let mut value = String::new();
            let mut chars = rest[1..].char_indices();
            let mut end = rest.len();
            while let Some((at, ch)) = chars.next() {
                match ch {
                    '\\' => value.extend(chars.next().map(|(_, escaped)| escaped)),
                    ch if ch == c as char => {
                        end = at + 2;
                        break;
                    }
                    ch => value.push(ch),
                }
            }
            let computed = c == b'`' && value.contains("${");
            out.push(if computed {
                Token::Template
            } else {
                Token::Str(value)
            });
            i += end;
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(rest.len());
            out.push(Token::Word(&rest[..len]));
            i += len;
        } else {
            let ch = rest.chars().next().unwrap_or_default();
            out.push(Token::Punct(ch));
            i += ch.len_utf8();
        }
    }
    out
}

/// The string `key` is set to in the configuration object, inside the nested objects `parents`
/// (`["build"]` for Vite's `build.outDir`; `[]` for Next's top-level `output`). `Ok(None)` when
/// the file never names `key`; `Err` with the reason when it names it other than once, at that
/// place, as `key: 'plain string'` (shorthand, member access, a variable, a condition, a
/// template or a second entry cannot be read without running the file).
pub fn literal_option(text: &str, parents: &[&str], key: &str) -> Result<Option<String>, String> {
    let tokens = tokens(text);
    let at = |i: usize| tokens.get(i);
    let name = |token: Option<&Token>| match token {
        Some(Token::Word(word)) => Some(word.to_string()),
        Some(Token::Str(text)) => Some(text.clone()),
        _ => None,
    };
    // The key each open object is the value of (`None`: not a property value).
    let mut objects: Vec<Option<String>> = Vec::new();
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct('{') => {
                let named = i >= 2 && at(i - 1) == Some(&Token::Punct(':'));
                objects.push(if named { name(at(i - 2)) } else { None });
            }
            Token::Punct('}') => {
                objects.pop();
            }
            Token::Word(_) | Token::Str(_) if name(Some(token)).as_deref() == Some(key) => {
                let property = at(i + 1) == Some(&Token::Punct(':'))
                    && i > 0
                    && matches!(at(i - 1), Some(Token::Punct('{' | ',')));
                if !property {
                    if matches!(token, Token::Word(_)) {
                        return Err(format!("`{key}` is used other than as `{key}: '…'`"));
                    }
                    continue;
                }
                let place = objects.len() == parents.len() + 1
                    && objects[0].is_none()
                    && objects[1..]
                        .iter()
                        .zip(parents)
                        .all(|(o, p)| o.as_deref() == Some(*p));
                if !place {
                    return Err(format!(
                        "`{key}` is set inside an object other than the configuration{}",
                        parents
                            .iter()
                            .map(|p| format!("'s `{p}`"))
                            .collect::<String>()
                    ));
                }
                match (at(i + 2), at(i + 3)) {
                    (Some(Token::Str(value)), Some(Token::Punct(',' | '}'))) => {
                        found.push(value.clone())
                    }
                    _ => return Err(format!("`{key}` is not set to a plain string")),
                }
            }
            _ => {}
        }
    }
    match found.as_slice() {
        [] => Ok(None),
        [value] => Ok(Some(value.clone())),
        _ => Err(format!("`{key}` is set {} times", found.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_plain_string_where_the_configuration_object_sets_it() {
        let vite = "import { defineConfig } from 'vite'\n// outDir: 'no'\nexport default defineConfig(({ mode }) => ({\n  plugins: [react()],\n  build: { outDir: \"build/site\", emptyOutDir: true },\n}))\n";
        assert_eq!(
            literal_option(vite, &["build"], "outDir"),
            Ok(Some("build/site".to_string()))
        );
        assert_eq!(literal_option(vite, &[], "root"), Ok(None));
        let next = "import type { NextConfig } from 'next'\nconst nextConfig: NextConfig = {\n  'output': `export`,\n  images: { unoptimized: true },\n}\nexport default nextConfig\n";
        assert_eq!(
            literal_option(next, &[], "output"),
            Ok(Some("export".to_string()))
        );
    }

    #[test]
    fn refuses_what_only_running_the_file_would_tell() {
        let err = |text: &str, parents: &[&str], key: &str| {
            literal_option(text, parents, key).unwrap_err()
        };
        assert_eq!(
            err(
                "const out = 'x'\nexport default { build: { outDir: out } }",
                &["build"],
                "outDir"
            ),
            "`outDir` is not set to a plain string"
        );
        assert_eq!(
            err(
                "export default { build: { outDir: `${base}/x` } }",
                &["build"],
                "outDir"
            ),
            "`outDir` is not set to a plain string"
        );
        assert_eq!(
            err("export default { outDir: 'x' }", &["build"], "outDir"),
            "`outDir` is set inside an object other than the configuration's `build`"
        );
        assert_eq!(
            err(
                "module.exports = { ...(prod ? { output: 'export' } : {}) }",
                &[],
                "output"
            ),
            "`output` is set inside an object other than the configuration"
        );
        assert_eq!(
            err(
                "const c = {}\nc.output = 'export'\nmodule.exports = c",
                &[],
                "output"
            ),
            "`output` is used other than as `output: '…'`"
        );
        assert_eq!(
            err(
                "module.exports = { output: 'export', output: 'standalone' }",
                &[],
                "output"
            ),
            "`output` is set 2 times"
        );
    }
}
