//! Reading questionnaire files: the total parse entry point, and the JSON-path helpers that
//! turn serde's line and column into a path like `$.questions[2].show_if` for reports.

use super::Questionnaire;

/// Files larger than this are refused before parsing (1 MiB).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Why a questionnaire file could not be read. Positions are serde's: line from 1,
/// column in bytes from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the file has {size} bytes; at most {limit} are allowed")]
    TooLarge { size: usize, limit: usize },
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        path: String,
        message: String,
    },
    #[error("{path} (line {line}, column {column}): {message}")]
    Invalid {
        line: usize,
        column: usize,
        path: String,
        message: String,
    },
}

/// Parse a questionnaire file. Total: any input gives `Ok` or `Err`, never a panic
/// (serde_json limits nesting depth, the size is capped first). A UTF-8 byte order mark,
/// as some Windows editors write, is skipped.
pub fn parse_questionnaire(bytes: &[u8]) -> Result<Questionnaire, ParseError> {
    let bytes = without_bom(bytes);
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ParseError::TooLarge {
            size: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    serde_json::from_slice(bytes).map_err(|e| from_serde(bytes, &e))
}

/// `bytes` without a leading UTF-8 byte order mark.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Classify a serde_json error on `bytes` and locate it as a JSON path.
pub fn from_serde(bytes: &[u8], error: &serde_json::Error) -> ParseError {
    let (line, column) = (error.line(), error.column());
    // A syntax error's column includes the offending byte; the path is of what came before.
    let consumed = if error.is_data() {
        column
    } else {
        column.saturating_sub(1)
    };
    let path = path_at(bytes, line, consumed);
    // serde's Display appends " at line L column C"; the variant carries those already.
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_owned(),
        None => full,
    };
    if error.is_data() {
        ParseError::Invalid {
            line,
            column,
            path,
            message,
        }
    } else {
        ParseError::Syntax {
            line,
            column,
            path,
            message,
        }
    }
}

/// Append an object key to a JSON path: `.key` for plain keys (the id alphabet without
/// dots), `["key"]` otherwise.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&serde_json::Value::from(key).to_string());
        path.push(']');
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Open(u8),
    Close,
    Str,
    Colon,
    Comma,
    Scalar,
}

/// A forgiving JSON lexer: stops (returns `None`) at anything it does not understand.
struct Lexer<'a> {
    text: &'a [u8],
    at: usize,
}

impl Lexer<'_> {
    /// The next token with its byte range.
    fn next_token(&mut self) -> Option<(Token, usize, usize)> {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
        let start = self.at;
        let token =
            match *self.text.get(start)? {
                b @ (b'{' | b'[') => Token::Open(b),
                b'}' | b']' => Token::Close,
                b':' => Token::Colon,
                b',' => Token::Comma,
                b'"' => {
                    let mut i = start + 1;
                    loop {
                        match self.text.get(i) {
                            None => break,
                            Some(b'\\') => i += 2,
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(_) => i += 1,
                        }
                    }
                    self.at = i.min(self.text.len());
                    return Some((Token::Str, start, self.at));
                }
                b if b == b'-' || b.is_ascii_alphanumeric() => {
                    let mut i = start;
                    while self.text.get(i).is_some_and(|b| {
                        matches!(b, b'-' | b'+' | b'.') || b.is_ascii_alphanumeric()
                    }) {
                        i += 1;
                    }
                    self.at = i;
                    return Some((Token::Scalar, start, i));
                }
                _ => return None,
            };
        self.at = start + 1;
        Some((token, start, self.at))
    }
}

/// The text of a string token, escapes decoded (loosely: this is for display only).
fn string_at(text: &[u8], start: usize, end: usize) -> String {
    let inner = text
        .get(start + 1..end.saturating_sub(1).max(start + 1))
        .unwrap_or(&[]);
    serde_json::from_slice::<String>(&[b"\"", inner, b"\""].concat())
        .unwrap_or_else(|_| String::from_utf8_lossy(inner).into_owned())
}

enum Frame {
    Object { key: Option<String>, want_key: bool },
    Array { next: usize, current: Option<usize> },
}

/// The JSON path of the place serde stopped at (`line` from 1; `column` = bytes consumed
/// on that line): the innermost value or key read so far. `$` when unknown.
pub fn path_at(text: &[u8], line: usize, column: usize) -> String {
    if line == 0 {
        return "$".to_owned();
    }
    let mut line_start = 0;
    if line > 1 {
        let newlines = text.iter().enumerate().filter(|(_, b)| **b == b'\n');
        match newlines.map(|(i, _)| i + 1).nth(line - 2) {
            Some(start) => line_start = start,
            None => return "$".to_owned(),
        }
    }
    let end = line_start.saturating_add(column).min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    // An error in the last element of an array is reported after its `]`: remember
    // which element that was.
    let mut closed_element: Option<usize> = None;
    let mut lexer = Lexer { text, at: 0 };
    while let Some((token, start, token_end)) = lexer.next_token() {
        if start >= end {
            break;
        }
        closed_element = None;
        let value_start = |stack: &mut Vec<Frame>| {
            if let Some(Frame::Array { next, current }) = stack.last_mut() {
                *current = Some(*next);
                *next += 1;
            }
        };
        match token {
            Token::Open(b) => {
                value_start(&mut stack);
                stack.push(if b == b'{' {
                    Frame::Object {
                        key: None,
                        want_key: true,
                    }
                } else {
                    Frame::Array {
                        next: 0,
                        current: None,
                    }
                });
            }
            Token::Close => {
                if let Some(Frame::Array { current, .. }) = stack.pop() {
                    closed_element = current;
                }
            }
            Token::Comma => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = true;
                }
            }
            Token::Colon => {}
            Token::Str => match stack.last_mut() {
                Some(Frame::Object { key, want_key }) if *want_key => {
                    *key = Some(string_at(text, start, token_end));
                    *want_key = false;
                }
                _ => value_start(&mut stack),
            },
            Token::Scalar => value_start(&mut stack),
        }
    }
    let mut path = "$".to_owned();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => push_key(&mut path, key),
            Frame::Array {
                current: Some(i), ..
            } => path.push_str(&format!("[{i}]")),
            _ => break,
        }
    }
    if let Some(i) = closed_element {
        path.push_str(&format!("[{i}]"));
    }
    path
}

/// `text` with the top-level member `key` (and its comma) overwritten by spaces, so a
/// typed parse that does not know the key still reports the original lines and columns.
/// `None` when the member is not there.
pub fn without_top_level_member(text: &str, key: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut lexer = Lexer { text: bytes, at: 0 };
    let mut depth = 0usize;
    let mut want_key = false;
    let mut last_comma: Option<usize> = None;
    while let Some((token, start, end)) = lexer.next_token() {
        match token {
            Token::Open(_) => {
                depth += 1;
                want_key = depth == 1;
            }
            Token::Close => depth = depth.saturating_sub(1),
            Token::Comma if depth == 1 => {
                last_comma = Some(start);
                want_key = true;
            }
            Token::Str if depth == 1 && want_key => {
                want_key = false;
                if string_at(bytes, start, end) != key {
                    continue;
                }
                let (mut from, mut to) = (start, member_end(&mut lexer)?);
                match lexer.next_token() {
                    Some((Token::Comma, _, comma_end)) => to = comma_end,
                    _ => from = last_comma.unwrap_or(from),
                }
                let blanked: Vec<u8> = bytes
                    .iter()
                    .enumerate()
                    .map(|(i, &b)| {
                        if (from..to).contains(&i) && !matches!(b, b'\n' | b'\r') {
                            b' '
                        } else {
                            b
                        }
                    })
                    .collect();
                return String::from_utf8(blanked).ok();
            }
            _ => {}
        }
    }
    None
}

/// After a member's key: skip the colon and the value, returning the value's end.
fn member_end(lexer: &mut Lexer<'_>) -> Option<usize> {
    if lexer.next_token()?.0 != Token::Colon {
        return None;
    }
    let mut depth = 0usize;
    loop {
        let (token, _, end) = lexer.next_token()?;
        match token {
            Token::Open(_) => depth += 1,
            Token::Close => depth = depth.checked_sub(1)?,
            _ => {}
        }
        if depth == 0 {
            return Some(end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(text: &str) -> String {
        match parse_questionnaire(text.as_bytes()) {
            Err(ParseError::Invalid { path, .. } | ParseError::Syntax { path, .. }) => path,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    const EXAMPLE: &str = include_str!("../../../panel-schemas/examples/questionnaire.json");

    #[test]
    fn typed_errors_name_their_path() {
        let unknown = EXAMPLE.replacen("\"help\"", "\"hulp\": \"x\", \"help\"", 1);
        assert_eq!(locate(&unknown), "$.questions[1].hulp");
        let bad_id = EXAMPLE.replacen("\"werk_nu\"", "\"werk nu\"", 1);
        assert_eq!(locate(&bad_id), "$.questions[0].id");
        let not_allowed = EXAMPLE.replacen(
            "\"max_length\": 2000",
            "\"max_length\": 2000, \"unit\": \"x\"",
            1,
        );
        assert_eq!(locate(&not_allowed), "$.questions[6]");
        let bad_show_if = EXAMPLE.replacen(
            "\"equals\": \"ja\"}",
            "\"equals\": \"ja\", \"answered\": true}",
            1,
        );
        assert_eq!(locate(&bad_show_if), "$.questions[1].show_if");
        let missing = EXAMPLE.replacen("\"purpose\"", "\"purpose_x\"", 1);
        assert_eq!(locate(&missing), "$.purpose_x");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let broken = "{\n  \"id\": \"x\",\n  \"kind\": \n}";
        match parse_questionnaire(broken.as_bytes()) {
            Err(ParseError::Syntax {
                line, column, path, ..
            }) => {
                assert_eq!((line, column), (4, 1));
                assert_eq!(path, "$.kind");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn oversized_files_are_refused() {
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        assert!(matches!(
            parse_questionnaire(&big),
            Err(ParseError::TooLarge { .. })
        ));
    }

    #[test]
    fn keys_outside_the_plain_alphabet_are_quoted() {
        let mut path = "$".to_owned();
        push_key(&mut path, "55+");
        push_key(&mut path, "a.b");
        assert_eq!(path, "$.55+[\"a.b\"]");
    }

    #[test]
    fn a_member_is_blanked_keeping_positions() {
        let text = "{\"$schema\": \"x\",\n \"a\": 1}";
        let out = without_top_level_member(text, "$schema").unwrap();
        assert_eq!(out.len(), text.len());
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap()["a"],
            1
        );
        let last = "{\"a\": [1, {\"b\": 2}],\n \"$schema\": {\"c\": [3]}}";
        let out = without_top_level_member(last, "$schema").unwrap();
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value, serde_json::json!({"a": [1, {"b": 2}]}));
        assert_eq!(
            without_top_level_member("{\"a\": {\"$schema\": 1}}", "$schema"),
            None
        );
    }
}
