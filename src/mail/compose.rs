//! The emails klankbord sends, in the member's language, each as plain text and HTML
//! rendered from the templates in `web/templates/mail/`.

use askama::Template;

use crate::domain::panel::PanelDefinition;
use crate::i18n::{Lang, t, tf};

/// A finished message: subject and both bodies.
#[derive(Clone, Debug, PartialEq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The parts every message has.
struct Content {
    lang: Lang,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    action: Option<(String, String)>,
    after: Vec<String>,
    signature: String,
}

#[derive(Template)]
#[template(
    path = "mail/message.txt",
    config = "src/web/askama.toml",
    escape = "none"
)]
struct TextBody<'a> {
    c: &'a Content,
}

#[derive(Template)]
#[template(path = "mail/message.html", config = "src/web/askama.toml")]
struct HtmlBody<'a> {
    c: &'a Content,
}

fn render(content: Content) -> Composed {
    Composed {
        text: TextBody { c: &content }
            .render()
            .expect("mail text template renders"),
        html: HtmlBody { c: &content }
            .render()
            .expect("mail html template renders"),
        subject: content.subject,
    }
}

fn greeting(lang: Lang, name: Option<&str>) -> String {
    match name {
        Some(name) => tf(lang, "mail.greeting_name", &[("name", &name)]),
        None => t(lang, "mail.greeting").to_owned(),
    }
}

fn signature(lang: Lang, panel: &PanelDefinition) -> String {
    tf(
        lang,
        "mail.signature",
        &[
            ("organisation", &panel.organisation),
            ("contact", &panel.contact),
        ],
    )
}

/// Double opt-in: confirm the sign-up.
pub fn confirm_signup(
    lang: Lang,
    panel: &PanelDefinition,
    name: Option<&str>,
    link: &str,
) -> Composed {
    render(Content {
        lang,
        subject: tf(lang, "mail.confirm.subject", &[("panel", &panel.name)]),
        greeting: greeting(lang, name),
        paragraphs: vec![
            tf(lang, "mail.confirm.intro", &[("panel", &panel.name)]),
            t(lang, "mail.confirm.click").to_owned(),
        ],
        action: Some((t(lang, "mail.confirm.button").to_owned(), link.to_owned())),
        after: vec![
            t(lang, "mail.confirm.valid").to_owned(),
            t(lang, "mail.confirm.not_you").to_owned(),
        ],
        signature: signature(lang, panel),
    })
}

/// A single-use login link.
pub fn login_link(lang: Lang, panel: &PanelDefinition, name: Option<&str>, link: &str) -> Composed {
    render(Content {
        lang,
        subject: tf(lang, "mail.login.subject", &[("panel", &panel.name)]),
        greeting: greeting(lang, name),
        paragraphs: vec![t(lang, "mail.login.intro").to_owned()],
        action: Some((t(lang, "mail.login.button").to_owned(), link.to_owned())),
        after: vec![
            t(lang, "mail.login.valid").to_owned(),
            t(lang, "mail.login.not_you").to_owned(),
        ],
        signature: signature(lang, panel),
    })
}

/// Someone signed up with an address that is already a member: tell the owner, and
/// give a login link instead of a second account.
pub fn already_member(
    lang: Lang,
    panel: &PanelDefinition,
    name: Option<&str>,
    link: &str,
) -> Composed {
    render(Content {
        lang,
        subject: tf(lang, "mail.already.subject", &[("panel", &panel.name)]),
        greeting: greeting(lang, name),
        paragraphs: vec![
            tf(lang, "mail.already.intro", &[("panel", &panel.name)]),
            t(lang, "mail.already.login").to_owned(),
        ],
        action: Some((t(lang, "mail.login.button").to_owned(), link.to_owned())),
        after: vec![t(lang, "mail.already.not_you").to_owned()],
        signature: signature(lang, panel),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confirmation_mail_has_the_link_in_both_bodies() {
        let panel =
            PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json"))
                .unwrap();
        let mail = confirm_signup(Lang::Nl, &panel, Some("Anna"), "http://x/bevestigen/abc");
        assert!(mail.subject.contains("Ervaringspanel"));
        assert!(mail.text.contains("http://x/bevestigen/abc"));
        assert!(mail.html.contains("href=\"http://x/bevestigen/abc\""));
        assert!(mail.text.contains("Anna"));
        assert!(mail.html.contains("lang=\"nl\""));
    }
}
