//! Pages shared by all areas: the error page and a simple message page.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;

use super::ctx::{HelpContact, PageCtx};
use crate::i18n::{self, Lang};

#[derive(Template, WebTemplate)]
#[template(path = "error.html", config = "src/web/askama.toml")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub message: &'static str,
}

impl ErrorPage {
    pub fn new(lang: Lang, help: HelpContact, status: StatusCode, key: &'static str) -> Self {
        Self {
            ctx: PageCtx::bare(lang, help),
            status: status.as_u16(),
            message: i18n::t(lang, key),
        }
    }
}

/// A page that tells the visitor something, with an optional link onward.
#[derive(Template, WebTemplate)]
#[template(path = "message.html", config = "src/web/askama.toml")]
pub struct MessagePage {
    pub ctx: PageCtx,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

impl MessagePage {
    /// Title and paragraphs by i18n key.
    pub fn keys(ctx: PageCtx, title: &str, paragraphs: &[&str]) -> Self {
        Self {
            title: ctx.t(title).to_owned(),
            paragraphs: paragraphs.iter().map(|k| ctx.t(k).to_owned()).collect(),
            link: None,
            ctx,
        }
    }

    pub fn with_link(mut self, href: &str, label_key: &str) -> Self {
        self.link = Some((href.to_owned(), self.ctx.t(label_key).to_owned()));
        self
    }
}
