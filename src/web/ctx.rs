//! Per-request context for pages: language, CSRF token, the logged-in member or manager,
//! display preferences and how to get help. The `prepare` middleware settles language
//! and CSRF cookie before any handler runs.

use axum::extract::{FromRequestParts, Request};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use super::cookies;
use super::error::WebError;
use super::state::AppState;
use crate::domain::member::DisplayPreferences;
use crate::i18n::{self, Lang};
use crate::store::entities::{manager, member};
use crate::store::managers::ManagerRole;
use crate::store::{members, panels, sessions, tokens};

/// The CSRF token of this browser (the `kb_csrf` cookie); forms echo it back.
#[derive(Clone, Debug)]
pub struct CsrfToken {
    pub value: String,
    /// Made for this request: the browser did not send it, so no form can carry it yet.
    pub fresh: bool,
}

fn query_lang(request: &Request) -> Option<Lang> {
    request.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_code(v))
    })
}

/// The visitor's language: a `?lang=` switch, else the cookie, else the browser's
/// preference, else Dutch.
pub fn lang_of(request: &Request) -> Lang {
    if let Some(lang) = request.extensions().get::<Lang>() {
        return *lang;
    }
    query_lang(request)
        .or_else(|| {
            cookies::get(request.headers(), cookies::LANG).and_then(|c| Lang::from_code(&c))
        })
        .or_else(|| {
            request
                .headers()
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| Lang::from_code(v.get(..2).unwrap_or("")))
        })
        .unwrap_or_default()
}

pub async fn prepare(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies();
    let switched = query_lang(&request);
    let lang = lang_of(&request);
    request.extensions_mut().insert(lang);
    let csrf = match cookies::get(request.headers(), cookies::CSRF) {
        Some(value) if value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()) => {
            CsrfToken {
                value,
                fresh: false,
            }
        }
        _ => CsrfToken {
            value: tokens::new_token(),
            fresh: true,
        },
    };
    request.extensions_mut().insert(csrf.clone());
    let mut response = next.run(request).await;
    if csrf.fresh {
        response.headers_mut().append(
            SET_COOKIE,
            cookies::set(cookies::CSRF, &csrf.value, None, secure),
        );
    }
    if let Some(lang) = switched {
        response.headers_mut().append(
            SET_COOKIE,
            cookies::set(cookies::LANG, lang.code(), Some(365 * 24 * 3600), secure),
        );
    }
    response
}

/// How members can get help; shown in the same place on every page.
#[derive(Clone, Debug, Default)]
pub struct HelpContact {
    pub organisation: String,
    pub email: String,
    pub phone: Option<String>,
}

/// The logged-in manager.
#[derive(Clone, Debug)]
pub struct ManagerInfo {
    pub id: i64,
    pub name: String,
    pub role: ManagerRole,
}

#[derive(Clone, Debug)]
pub struct PageCtx {
    pub lang: Lang,
    pub csrf: String,
    pub path: String,
    pub help: HelpContact,
    pub prefs: DisplayPreferences,
    pub member: Option<member::Model>,
    pub manager: Option<ManagerInfo>,
    /// Where this visitor changes text size, contrast and layout, if they can.
    pub display_link: Option<String>,
}

impl PageCtx {
    /// The page's texts, for helpers shared with emails and reports.
    pub fn texts(&self) -> i18n::Texts {
        i18n::Texts { lang: self.lang }
    }

    /// A client request's state in words.
    pub fn request_state(&self, s: &crate::domain::client_request::RequestState) -> &'static str {
        self.t(&format!("requests.state.{}", s.code()))
    }

    /// The state a request's change came from in words; "–" for its first.
    pub fn earlier_request_state(
        &self,
        s: &Option<crate::domain::client_request::RequestState>,
    ) -> &'static str {
        s.map_or("–", |s| self.request_state(&s))
    }

    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        i18n::tf(self.lang, key, args)
    }

    /// A text with one placeholder filled in.
    pub fn tf1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        i18n::tf(self.lang, key, &[(name, &value)])
    }

    /// A text with two placeholders filled in.
    pub fn tf2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        i18n::tf(self.lang, key, &[(n1, &v1), (n2, &v2)])
    }

    /// The same page in the other language.
    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    pub fn is_interviewer(&self) -> bool {
        self.manager
            .as_ref()
            .is_some_and(|m| m.role == ManagerRole::Interviewer)
    }

    pub fn is_admin(&self) -> bool {
        self.manager
            .as_ref()
            .is_some_and(|m| m.role == ManagerRole::Admin)
    }

    /// CSS classes on `<body>` for the member's display preferences.
    pub fn body_class(&self) -> String {
        let mut classes = Vec::new();
        if self.prefs.large_text {
            classes.push("pref-large");
        }
        if self.prefs.high_contrast {
            classes.push("pref-contrast");
        }
        if self.prefs.calm_layout {
            classes.push("pref-calm");
        }
        if self.manager.is_some() {
            classes.push("manager");
        }
        classes.join(" ")
    }

    /// A context for pages rendered outside a handler (error pages).
    pub fn bare(lang: Lang, help: HelpContact) -> Self {
        Self {
            lang,
            csrf: String::new(),
            path: "/".to_owned(),
            help,
            prefs: DisplayPreferences::default(),
            member: None,
            manager: None,
            display_link: None,
        }
    }
}

/// Help contact of the member's panel, or of the first panel.
pub async fn help_contact(state: &AppState, panel_id: Option<&str>) -> HelpContact {
    let panel = match panel_id {
        Some(id) => panels::get(&state.db, id).await.ok(),
        None => panels::list(&state.db)
            .await
            .ok()
            .and_then(|p| p.into_iter().next()),
    };
    panel
        .map(|p| HelpContact {
            organisation: p.organisation,
            email: p.contact,
            phone: p.phone,
        })
        .unwrap_or_default()
}

pub async fn current_member(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<member::Model>, WebError> {
    let Some(token) = cookies::get(&parts.headers, cookies::MEMBER_SESSION) else {
        return Ok(None);
    };
    match sessions::find(&state.db, &token, state.now()).await? {
        Some(sessions::Owner::Member(id)) => Ok(members::get(&state.db, id).await.ok()),
        _ => Ok(None),
    }
}

/// The logged-in manager or admin; an interviewer is not a manager.
pub async fn current_manager(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<manager::Model>, WebError> {
    Ok(current_staff(state, parts)
        .await?
        .filter(|m| m.role != ManagerRole::Interviewer))
}

/// The logged-in interviewer.
pub async fn current_interviewer(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<manager::Model>, WebError> {
    Ok(current_staff(state, parts)
        .await?
        .filter(|m| m.role == ManagerRole::Interviewer))
}

/// Whoever of the staff (manager, admin, interviewer) is logged in.
pub async fn current_staff(
    state: &AppState,
    parts: &Parts,
) -> Result<Option<manager::Model>, WebError> {
    let Some(token) = cookies::get(&parts.headers, cookies::MANAGER_SESSION) else {
        return Ok(None);
    };
    match sessions::find(&state.db, &token, state.now()).await? {
        Some(sessions::Owner::Manager(id)) => Ok(crate::store::managers::get(&state.db, id)
            .await
            .ok()
            .filter(|m| m.disabled_at.is_none())),
        _ => Ok(None),
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|c| c.value.clone())
            .unwrap_or_default();
        let member = current_member(state, parts).await?;
        let staff_page = ["/beheer", "/bellen"]
            .iter()
            .any(|p| parts.uri.path().starts_with(p));
        let manager = if staff_page {
            current_staff(state, parts).await?.map(|m| ManagerInfo {
                id: m.id,
                name: m.name,
                role: m.role,
            })
        } else {
            None
        };
        // Someone answering through an invitation link sees their own display
        // preferences too, without logging in.
        let invited = match &member {
            Some(_) => None,
            None => crate::web::respond::invited_member(state, parts).await?,
        };
        let shown = member.as_ref().or(invited.as_ref());
        let prefs = shown.map(members::preferences).unwrap_or_default();
        let help = help_contact(state, shown.map(|m| m.panel_id.as_str())).await;
        let display_link = if member.is_some() {
            Some("/mijn-gegevens#weergave".to_owned())
        } else {
            invited.as_ref().and_then(|_| {
                let rest = parts.uri.path().strip_prefix("/vragenlijst/")?;
                Some(format!("/vragenlijst/{}/weergave", rest.split('/').next()?))
            })
        };
        Ok(PageCtx {
            lang,
            csrf,
            path: parts.uri.path().to_owned(),
            help,
            prefs,
            member,
            manager,
            display_link,
        })
    }
}
