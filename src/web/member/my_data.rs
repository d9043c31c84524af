//! "Mijn gegevens": a member sees everything held about them, corrects it, downloads it,
//! withdraws consent and deletes the account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;

use super::signup::profile_input;
use crate::domain::member::{DisplayPreferences, MemberStatus, Profile};
use crate::domain::panel::PanelDefinition;
use crate::domain::signup::{self, ProfileInput};
use crate::store::audit::{self, Action, Actor};
use crate::store::entities::{audit as audit_entity, member};
use crate::store::{members, panels};
use crate::web::auth::MemberAuth;
use crate::web::cookies;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::pages::MessagePage;
use crate::web::state::AppState;
use crate::web::view::{
    FormErrors, RadioGroup, background_groups, contact_group, datetime, opt_datetime,
};

#[derive(Template, WebTemplate)]
#[template(path = "member/my_data.html", config = "src/web/askama.toml")]
pub struct OverviewPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub m: member::Model,
    pub profile: Profile,
    /// (question, answer label) per background variable.
    pub background: Vec<(String, String)>,
    pub access: Vec<audit_entity::Model>,
    pub welcome: bool,
    pub saved: bool,
    /// "How often do you want an invitation?"
    pub wishes: Vec<super::wishes::WishSelect>,
}

impl OverviewPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn when_opt(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        opt_datetime(at)
    }
    fn status_text(&self) -> &'static str {
        self.ctx.t(self.m.status.i18n_key())
    }
    fn contact_text(&self) -> &'static str {
        self.ctx.t(self.m.contact_preference.i18n_key())
    }
    fn is_withdrawn(&self) -> bool {
        self.m.status == MemberStatus::Withdrawn
    }
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    welkom: Option<String>,
    opgeslagen: Option<String>,
}

/// (question, label) of each background answer, in the panel's order.
pub fn background_labels(panel: &PanelDefinition, profile: &Profile) -> Vec<(String, String)> {
    panel
        .background_variables
        .iter()
        .filter_map(|var| {
            let value = profile.background.get(var.id.as_str())?;
            let label = var
                .categories
                .iter()
                .find(|c| &c.value == value)?
                .label
                .clone();
            Some((var.question.clone(), label))
        })
        .collect()
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
    Query(q): Query<OverviewQuery>,
) -> WebResult<OverviewPage> {
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let profile = members::profile(&state.db, &m).await?;
    let (access, _) = audit::list(&state.db, Some(m.id), 0, 50).await?;
    let wishes = super::wishes::selects(
        &ctx,
        &panel.contact_policy,
        crate::store::fieldwork::wishes(&m),
    );
    Ok(OverviewPage {
        wishes,
        background: background_labels(&panel, &profile),
        welcome: q.welkom.is_some(),
        saved: q.opgeslagen.is_some(),
        ctx,
        panel,
        m,
        profile,
        access,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "member/edit.html", config = "src/web/askama.toml")]
pub struct EditPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
    pub input: ProfileInput,
    pub version: i32,
    pub contact: RadioGroup,
    pub background: Vec<RadioGroup>,
    pub action: String,
    pub cancel: String,
    /// Title and heading: the member's own ("Uw gegevens veranderen") or a manager's.
    pub title_key: &'static str,
}

impl EditPage {
    pub fn new(
        ctx: PageCtx,
        panel: &PanelDefinition,
        input: ProfileInput,
        version: i32,
        errors: FormErrors,
        action: String,
        cancel: String,
    ) -> Self {
        Self {
            contact: contact_group(ctx.lang, &input.contact_preference),
            background: background_groups(panel, &input.background),
            ctx,
            errors,
            input,
            version,
            action,
            cancel,
            title_key: "edit.title",
        }
    }

    /// The same form as a manager sees it for a member.
    pub fn for_manager(mut self) -> Self {
        self.title_key = "manager.member.edit_title";
        self
    }
}

/// The form fields for a stored profile.
pub fn input_of(profile: &Profile) -> ProfileInput {
    let supporter = profile.supporter.clone().unwrap_or_default();
    ProfileInput {
        name: profile.name.clone().unwrap_or_default(),
        email: profile
            .email
            .as_ref()
            .map(|e| e.to_string())
            .unwrap_or_default(),
        phone: profile
            .phone
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        address: profile.address.clone().unwrap_or_default(),
        contact_preference: profile.contact_preference.code().to_owned(),
        birth_year: profile
            .birth_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
        supporter_name: supporter.name,
        supporter_relation: supporter.relation.unwrap_or_default(),
        supporter_contact: supporter.contact.unwrap_or_default(),
        background: signup::background_strings(&profile.background),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
) -> WebResult<EditPage> {
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let profile = members::profile(&state.db, &m).await?;
    let errors = FormErrors::none(ctx.lang);
    Ok(EditPage::new(
        ctx,
        &panel,
        input_of(&profile),
        m.version,
        errors,
        "/mijn-gegevens/wijzigen".into(),
        "/mijn-gegevens".into(),
    ))
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let input = profile_input(&form, &panel);
    let version: i32 = form
        .get("version")
        .parse()
        .map_err(|_| WebError::BadRequest("error.bad_request"))?;
    let lang = ctx.lang;
    let rerender = |ctx, input, errors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            EditPage::new(
                ctx,
                &panel,
                input,
                version,
                errors,
                "/mijn-gegevens/wijzigen".into(),
                "/mijn-gegevens".into(),
            ),
        )
            .into_response()
    };
    let profile = match signup::validate_profile(&panel, &input, lang, state.now().year()) {
        Ok(p) => p,
        Err(errors) => return Ok(rerender(ctx, input, FormErrors::new(lang, &errors))),
    };
    match crate::service::members::update_profile(&state.db, m.id, version, &profile, state.now())
        .await
    {
        Ok(_) => Ok(Redirect::to("/mijn-gegevens?opgeslagen=1").into_response()),
        Err(crate::store::StoreError::Conflict) => Ok(rerender(
            ctx,
            input,
            FormErrors::single(lang, "name", "error.conflict_member"),
        )),
        Err(crate::store::StoreError::Duplicate(field)) => {
            let field = if field == "phone" { "phone" } else { "email" };
            Ok(rerender(
                ctx,
                input,
                FormErrors::single(lang, field, "form.error.contact_taken"),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn preferences(
    State(state): State<AppState>,
    MemberAuth(m): MemberAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Redirect> {
    let prefs = DisplayPreferences {
        large_text: form.checked("large_text"),
        high_contrast: form.checked("high_contrast"),
        calm_layout: form.checked("calm_layout"),
    };
    members::set_preferences(&state.db, m.id, prefs).await?;
    let back = form.get("back");
    // Only go back to one of our own pages.
    let target = if back.starts_with('/') && !back.starts_with("//") {
        back
    } else {
        "/mijn-gegevens"
    };
    Ok(Redirect::to(target))
}

pub async fn download(
    State(state): State<AppState>,
    MemberAuth(m): MemberAuth,
) -> WebResult<Response> {
    let data = members::export(&state.db, m.id).await?;
    let body =
        serde_json::to_string_pretty(&data).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                "attachment; filename=\"mijn-gegevens.json\"".to_owned(),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "member/confirm_action.html", config = "src/web/askama.toml")]
pub struct ConfirmActionPage {
    pub ctx: PageCtx,
    pub title: &'static str,
    pub paragraphs: Vec<&'static str>,
    pub button: &'static str,
    pub action: &'static str,
    pub danger: bool,
}

pub async fn withdraw_form(ctx: PageCtx, MemberAuth(_): MemberAuth) -> ConfirmActionPage {
    ConfirmActionPage {
        title: ctx.t("withdraw.title"),
        paragraphs: vec![
            ctx.t("withdraw.what"),
            ctx.t("withdraw.data"),
            ctx.t("withdraw.back"),
        ],
        button: ctx.t("withdraw.button"),
        action: "/mijn-gegevens/toestemming",
        danger: false,
        ctx,
    }
}

pub async fn withdraw_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    MemberAuth(m): MemberAuth,
    CsrfForm(_): CsrfForm,
) -> WebResult<MessagePage> {
    let now = state.now();
    members::withdraw(&state.db, m.id, now).await?;
    audit::record(
        &state.db,
        &Actor::member(),
        Action::WithdrawConsent,
        Some(m.id),
        Some(&m.panel_id),
        "consent",
        now,
    )
    .await?;
    Ok(MessagePage::keys(
        ctx,
        "withdraw.done.title",
        &["withdraw.done.text", "withdraw.done.delete"],
    )
    .with_link("/mijn-gegevens", "nav.my_data"))
}

pub async fn delete_form(ctx: PageCtx, MemberAuth(m): MemberAuth) -> ConfirmActionPage {
    let answers = if m.keep_answers_anonymous {
        "delete.answers_kept"
    } else {
        "delete.answers_deleted"
    };
    ConfirmActionPage {
        title: ctx.t("delete.title"),
        paragraphs: vec![ctx.t("delete.what"), ctx.t(answers), ctx.t("delete.final")],
        button: ctx.t("delete.button"),
        action: "/mijn-gegevens/verwijderen",
        danger: true,
        ctx,
    }
}

pub async fn delete_submit(
    State(state): State<AppState>,
    mut ctx: PageCtx,
    MemberAuth(m): MemberAuth,
    CsrfForm(_): CsrfForm,
) -> WebResult<Response> {
    crate::service::members::erase(&state.db, m.id).await?;
    audit::record(
        &state.db,
        &Actor::member(),
        Action::EraseMember,
        Some(m.id),
        Some(&m.panel_id),
        "account",
        state.now(),
    )
    .await?;
    ctx.member = None;
    ctx.prefs = DisplayPreferences::default();
    let cookie = cookies::set(
        cookies::MEMBER_SESSION,
        "",
        Some(0),
        state.config.secure_cookies(),
    );
    let page = MessagePage::keys(ctx, "delete.done.title", &["delete.done.text"]);
    Ok(([(SET_COOKIE, cookie)], page).into_response())
}
