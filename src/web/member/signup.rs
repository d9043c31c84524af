//! `GET/POST /aanmelden`: sign up for a panel, with consent and double opt-in.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;

use crate::domain::panel::PanelDefinition;
use crate::domain::signup::{self, FieldError, ProfileInput, SignupError, SignupInput};
use crate::service::members::{self as flows, SignupResult};
use crate::store::panels;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::{CsrfForm, FormData};
use crate::web::pages::MessagePage;
use crate::web::state::AppState;
use crate::web::view::{Choice, FormErrors, RadioGroup, background_groups, contact_group};

#[derive(Deserialize)]
pub struct PanelQuery {
    panel: Option<String>,
    bron: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "member/signup.html", config = "src/web/askama.toml")]
pub struct SignupPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub errors: FormErrors,
    pub input: SignupInput,
    pub contact: RadioGroup,
    pub background: Vec<RadioGroup>,
    pub sources: Vec<Choice>,
}

/// The panel asked for, or the only/first one.
pub async fn resolve_panel(state: &AppState, id: Option<&str>) -> WebResult<PanelDefinition> {
    match id {
        Some(id) => Ok(panels::get(&state.db, id).await?),
        None => panels::list(&state.db)
            .await?
            .into_iter()
            .next()
            .ok_or(WebError::NotFound),
    }
}

fn page(
    ctx: PageCtx,
    panel: PanelDefinition,
    input: SignupInput,
    errors: &[FieldError],
) -> SignupPage {
    let lang = ctx.lang;
    SignupPage {
        contact: contact_group(lang, &input.profile.contact_preference),
        background: background_groups(&panel, &input.profile.background),
        sources: signup::SOURCES
            .iter()
            .filter(|s| **s != "import")
            .map(|s| Choice::new(*s, crate::i18n::t(lang, &format!("signup.source.{s}"))))
            .collect(),
        errors: FormErrors::new(lang, errors),
        ctx,
        panel,
        input,
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<PanelQuery>,
) -> WebResult<SignupPage> {
    let panel = resolve_panel(&state, q.panel.as_deref()).await?;
    let input = SignupInput {
        source: q
            .bron
            .filter(|s| signup::SOURCES.contains(&s.as_str()))
            .unwrap_or_default(),
        ..Default::default()
    };
    Ok(page(ctx, panel, input, &[]))
}

/// Read the profile fields every profile form shares.
pub fn profile_input(form: &FormData, panel: &PanelDefinition) -> ProfileInput {
    let background: BTreeMap<String, String> = panel
        .background_variables
        .iter()
        .map(|v| {
            (
                v.id.to_string(),
                form.get(&format!("bg_{}", v.id)).to_owned(),
            )
        })
        .collect();
    ProfileInput {
        name: form.get("name").to_owned(),
        email: form.get("email").to_owned(),
        phone: form.get("phone").to_owned(),
        address: form.get("address").to_owned(),
        contact_preference: form.get("contact_preference").to_owned(),
        birth_year: form.get("birth_year").to_owned(),
        supporter_name: form.get("supporter_name").to_owned(),
        supporter_relation: form.get("supporter_relation").to_owned(),
        supporter_contact: form.get("supporter_contact").to_owned(),
        background,
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let panel = resolve_panel(&state, Some(form.get("panel")).filter(|p| !p.is_empty())).await?;
    let input = SignupInput {
        profile: profile_input(&form, &panel),
        consent_panel: form.checked("consent_panel"),
        consent_health: form.checked("consent_health"),
        keep_answers_anonymous: form.checked("keep_answers_anonymous"),
        source: form.get("source").to_owned(),
    };
    let now = state.now();
    let new = match signup::validate_signup(&panel, &input, ctx.lang, now.year()) {
        Ok(new) => new,
        Err(SignupError::TooYoung { min_age }) => {
            let mut page = MessagePage::keys(ctx, "signup.too_young.title", &[]);
            page.paragraphs = vec![
                page.ctx.tf("signup.too_young.text", &[("age", &min_age)]),
                page.ctx.t("signup.too_young.later").to_owned(),
            ];
            return Ok(page.into_response());
        }
        Err(SignupError::Invalid(errors)) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(ctx, panel, input, &errors),
            )
                .into_response());
        }
    };
    match flows::sign_up(&state.db, &state.config.base_url, &panel, &new, now).await? {
        SignupResult::Created { .. } | SignupResult::AlreadyMember => {
            state.mail_waker.notify_one();
            let target = if new.profile.email.is_some() {
                "/aanmelden/bedankt"
            } else {
                "/aanmelden/bedankt?telefoon=1"
            };
            Ok(Redirect::to(target).into_response())
        }
        SignupResult::DuplicatePhone => {
            let errors = [FieldError::new("phone", "form.error.phone_taken")];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(ctx, panel, input, &errors),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ThanksQuery {
    telefoon: Option<String>,
}

pub async fn thanks(ctx: PageCtx, Query(q): Query<ThanksQuery>) -> MessagePage {
    if q.telefoon.is_some() {
        MessagePage::keys(
            ctx,
            "signup.thanks.title",
            &["signup.thanks.phone", "signup.thanks.phone_next"],
        )
    } else {
        MessagePage::keys(
            ctx,
            "signup.thanks.title",
            &[
                "signup.thanks.email",
                "signup.thanks.email_next",
                "signup.thanks.no_mail",
            ],
        )
    }
}
