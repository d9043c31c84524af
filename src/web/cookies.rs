//! Reading and writing the few cookies klankbord uses.

use axum::http::{HeaderMap, HeaderValue, header};

pub const MEMBER_SESSION: &str = "kb_member";
pub const MANAGER_SESSION: &str = "kb_manager";
pub const CLIENT_SESSION: &str = "kb_client";
pub const CSRF: &str = "kb_csrf";
pub const LANG: &str = "kb_lang";

/// The value of cookie `name` in a request.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure over https.
/// `max_age` of `Some(0)` deletes the cookie; `None` lasts for the browser session.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie values are ASCII")
}
