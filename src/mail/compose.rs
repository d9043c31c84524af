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
    /// A flash poll's first question with a link per option: (question, [(label, url)]).
    choices: Option<(String, Vec<(String, String)>)>,
    after: Vec<String>,
    /// Sentences that end in a link: (sentence, url), e.g. how to be called instead.
    links: Vec<(String, String)>,
    /// How to stop getting invitations: (sentence, url).
    stop: Option<(String, String)>,
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
        choices: None,
        links: Vec::new(),
        stop: None,
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
        choices: None,
        links: Vec::new(),
        stop: None,
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
        choices: None,
        links: Vec::new(),
        stop: None,
        after: vec![t(lang, "mail.already.not_you").to_owned()],
        signature: signature(lang, panel),
    })
}

/// What an invitation or reminder tells the member.
#[derive(Clone, Debug)]
pub struct InvitationText {
    pub title: String,
    pub purpose: String,
    pub use_of_results: String,
    pub minutes: u32,
    /// The deadline as members read it, e.g. `14-12-2026 23:59`.
    pub deadline: String,
    /// The compensation in words, if any.
    pub compensation: Option<String>,
    pub contact: String,
    pub link: String,
    pub unsubscribe: String,
    /// A flash poll's first question with a link per option, answered on the page.
    pub quick: Option<(String, Vec<(String, String)>)>,
    /// Where the member asks to be called instead.
    pub call_me: String,
}

/// An invitation (`reminder` false) or a reminder to a questionnaire.
pub fn invitation(
    lang: Lang,
    panel: &PanelDefinition,
    name: Option<&str>,
    inv: &InvitationText,
    reminder: bool,
) -> Composed {
    let (subject, intro) = if reminder {
        (
            "mail.invitation.reminder_subject",
            "mail.invitation.reminder_intro",
        )
    } else {
        ("mail.invitation.subject", "mail.invitation.intro")
    };
    let mut paragraphs = vec![
        tf(
            lang,
            intro,
            &[("panel", &panel.name), ("title", &inv.title)],
        ),
        tf(
            lang,
            "mail.invitation.purpose",
            &[("purpose", &inv.purpose)],
        ),
        tf(lang, "mail.invitation.use", &[("use", &inv.use_of_results)]),
        tf(
            lang,
            "mail.invitation.minutes",
            &[("minutes", &inv.minutes), ("deadline", &inv.deadline)],
        ),
    ];
    if let Some(compensation) = &inv.compensation {
        paragraphs.push(tf(
            lang,
            "mail.invitation.compensation",
            &[("compensation", compensation)],
        ));
    }
    let choices = inv.quick.as_ref().map(|(question, options)| {
        (
            tf(lang, "mail.invitation.quick", &[("question", question)]),
            options.clone(),
        )
    });
    render(Content {
        lang,
        subject: tf(
            lang,
            subject,
            &[("panel", &panel.name), ("title", &inv.title)],
        ),
        greeting: greeting(lang, name),
        paragraphs,
        action: Some((
            t(lang, "mail.invitation.button").to_owned(),
            inv.link.clone(),
        )),
        choices,
        links: vec![(
            t(lang, "mail.invitation.call_me").to_owned(),
            inv.call_me.clone(),
        )],
        after: vec![
            t(lang, "mail.invitation.own_link").to_owned(),
            tf(
                lang,
                "mail.invitation.questions",
                &[("contact", &inv.contact)],
            ),
        ],
        stop: Some((
            t(lang, "mail.invitation.stop").to_owned(),
            inv.unsubscribe.clone(),
        )),
        signature: signature(lang, panel),
    })
}

/// What the results email tells a respondent who asked for the results.
#[derive(Clone, Debug)]
pub struct ResultsText {
    pub title: String,
    /// The key results, one sentence each ("3 van de 4 mensen (76%) zegt: Ja.").
    pub sentences: Vec<String>,
    pub what_we_do: Vec<String>,
    pub what_changed: Vec<String>,
    /// The results page.
    pub link: String,
    /// The panel's smallest group shown.
    pub min_cell_size: u32,
}

/// The results of a survey, to a respondent who asked for them.
pub fn results(
    lang: Lang,
    panel: &PanelDefinition,
    name: Option<&str>,
    r: &ResultsText,
) -> Composed {
    let mut paragraphs = vec![tf(lang, "mail.results.intro", &[("title", &r.title)])];
    paragraphs.push(t(lang, "mail.results.key").to_owned());
    paragraphs.extend(r.sentences.iter().cloned());
    paragraphs.push(t(lang, "results.feedback.what_we_do").to_owned());
    paragraphs.extend(r.what_we_do.iter().cloned());
    paragraphs.push(t(lang, "results.feedback.what_changed").to_owned());
    paragraphs.extend(r.what_changed.iter().cloned());
    render(Content {
        lang,
        subject: tf(lang, "mail.results.subject", &[("title", &r.title)]),
        greeting: greeting(lang, name),
        paragraphs,
        action: Some((t(lang, "mail.results.button").to_owned(), r.link.clone())),
        choices: None,
        links: Vec::new(),
        stop: None,
        after: vec![tf(lang, "mail.results.why", &[("k", &r.min_cell_size)])],
        signature: signature(lang, panel),
    })
}

/// A client's request changed state (or came in): tell the contact person.
pub fn request_state(
    lang: Lang,
    panel: &PanelDefinition,
    contact: &str,
    topic: &str,
    state: &str,
    detail: Vec<String>,
) -> Composed {
    let state_label = t(lang, &format!("requests.state.{state}"));
    let mut paragraphs = vec![tf(
        lang,
        "mail.request.intro",
        &[("topic", &topic), ("state", &state_label)],
    )];
    paragraphs.push(t(lang, &format!("mail.request.{state}")).to_owned());
    paragraphs.extend(detail);
    render(Content {
        lang,
        subject: tf(
            lang,
            "mail.request.subject",
            &[("topic", &topic), ("state", &state_label)],
        ),
        greeting: greeting(lang, Some(contact)),
        paragraphs,
        action: None,
        choices: None,
        links: Vec::new(),
        stop: None,
        after: Vec::new(),
        signature: signature(lang, panel),
    })
}

/// What the allowance notice tells a member whose payment crossed a limit.
#[derive(Clone, Debug)]
pub struct AllowanceNoticeText {
    pub survey_title: String,
    /// The payment, Dutch notation ("€ 5,50").
    pub amount: String,
    /// How far over the monthly limit, if crossed.
    pub month_over: Option<String>,
    /// How far over the yearly limit (all organisations together), if crossed.
    pub year_over: Option<String>,
    /// The member's compensation page.
    pub link: String,
}

/// A payment crossed a volunteer-allowance limit: what that may mean for a benefit.
pub fn allowance_notice(
    lang: Lang,
    panel: &PanelDefinition,
    name: Option<&str>,
    n: &AllowanceNoticeText,
) -> Composed {
    let mut paragraphs = vec![tf(
        lang,
        "mail.allowance.intro",
        &[("title", &n.survey_title), ("amount", &n.amount)],
    )];
    if let Some(over) = &n.month_over {
        paragraphs.push(tf(lang, "mail.allowance.month_over", &[("over", over)]));
    }
    if let Some(over) = &n.year_over {
        paragraphs.push(tf(lang, "mail.allowance.year_over", &[("over", over)]));
    }
    paragraphs.push(t(lang, "compensation.benefit.income").to_owned());
    paragraphs.push(t(lang, "compensation.benefit.young").to_owned());
    paragraphs.push(t(lang, "compensation.benefit.municipality").to_owned());
    render(Content {
        lang,
        subject: tf(lang, "mail.allowance.subject", &[("panel", &panel.name)]),
        greeting: greeting(lang, name),
        paragraphs,
        action: Some((t(lang, "mail.allowance.button").to_owned(), n.link.clone())),
        choices: None,
        links: Vec::new(),
        stop: None,
        after: Vec::new(),
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

    #[test]
    fn allowance_notice_says_what_crossed_and_where_to_ask() {
        let panel =
            PanelDefinition::from_json(include_str!("../../panel-schemas/examples/panel.json"))
                .unwrap();
        let text = AllowanceNoticeText {
            survey_title: "Wonen".to_owned(),
            amount: "€ 10,00".to_owned(),
            month_over: None,
            year_over: Some("€ 4,50".to_owned()),
            link: "http://x/mijn-gegevens/vergoedingen".to_owned(),
        };
        let nl = allowance_notice(Lang::Nl, &panel, Some("Anna"), &text);
        for part in [
            "€ 10,00",
            "€ 4,50",
            "dit jaar",
            "bijstand",
            "27 jaar",
            "gemeente",
        ] {
            assert!(nl.text.contains(part), "text has {part}");
            assert!(nl.html.contains(part), "html has {part}");
        }
        assert!(!nl.text.contains("deze maand"), "the month was not crossed");
        assert!(
            nl.html
                .contains("href=\"http://x/mijn-gegevens/vergoedingen\"")
        );
        let en = allowance_notice(Lang::En, &panel, None, &text);
        assert!(en.text.contains("municipality") && en.text.contains("27"));
    }
}
