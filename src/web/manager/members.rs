//! Member list with search and filters, member detail and corrections by a manager.
//! Every view or change of personal data is written to the audit log.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;

use crate::domain::member::{MemberStatus, Profile, changed_fields, is_active};
use crate::domain::panel::PanelDefinition;
use crate::domain::signup;
use crate::store::audit::{self, Action};
use crate::store::entities::{audit as audit_entity, member};
use crate::store::members::{self, MemberFilter};
use crate::store::{StoreError, panels};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::member::my_data::{EditPage, background_labels, input_of};
use crate::web::member::signup::profile_input;
use crate::web::state::AppState;
use crate::web::view::{Choice, FormErrors, datetime, opt_datetime};

pub const PER_PAGE: u64 = 50;

/// One filter select on the list page.
pub struct FilterSelect {
    pub name: String,
    pub label: String,
    pub options: Vec<Choice>,
    pub selected: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/members.html", config = "src/web/askama.toml")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub query: String,
    pub filters: Vec<FilterSelect>,
    pub rows: Vec<member::Model>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The current filters as a query string without `page`, for the pager links.
    pub base_query: String,
}

impl ListPage {
    fn status_text(&self, m: &member::Model) -> &'static str {
        self.ctx.t(m.status.i18n_key())
    }
}

/// Parse the list's query: `q`, `status`, `page` and `bg_<variable>`.
fn parse_filter(pairs: &[(String, String)]) -> (MemberFilter, u64) {
    let mut filter = MemberFilter::default();
    let mut page = 0;
    for (k, v) in pairs {
        match k.as_str() {
            "q" => filter.query = Some(v.clone()),
            "status" => filter.status = MemberStatus::from_code(v),
            "page" => page = v.parse().unwrap_or(0),
            k => {
                if let Some(var) = k.strip_prefix("bg_") {
                    filter.background.insert(var.to_owned(), v.clone());
                }
            }
        }
    }
    (filter, page)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(panel_id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> WebResult<ListPage> {
    let panel = panels::get(&state.db, &panel_id).await?;
    let (filter, page) = parse_filter(&pairs);
    let kept: Vec<_> = pairs.iter().filter(|(k, _)| k != "page").collect();
    let (rows, total) = members::list(&state.db, &panel_id, &filter, page, PER_PAGE).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ListMembers,
        None,
        Some(&panel_id),
        &format!("{} shown", rows.len()),
        state.now(),
    )
    .await?;
    let mut filters = vec![FilterSelect {
        name: "status".into(),
        label: ctx.t("manager.members.status").into(),
        options: [
            MemberStatus::Active,
            MemberStatus::Pending,
            MemberStatus::Withdrawn,
        ]
        .iter()
        .map(|s| Choice::new(s.code(), ctx.t(s.i18n_key())))
        .collect(),
        selected: filter
            .status
            .map(|s| s.code().to_owned())
            .unwrap_or_default(),
    }];
    for var in &panel.background_variables {
        filters.push(FilterSelect {
            name: format!("bg_{}", var.id),
            label: var.question.clone(),
            options: var
                .categories
                .iter()
                .map(|c| Choice::new(c.value.as_str(), c.label.as_str()))
                .collect(),
            selected: filter
                .background
                .get(var.id.as_str())
                .cloned()
                .unwrap_or_default(),
        });
    }
    Ok(ListPage {
        query: filter.query.clone().unwrap_or_default(),
        base_query: kept
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&"),
        pages: total.div_ceil(PER_PAGE),
        ctx,
        panel,
        filters,
        rows,
        total,
        page,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "manager/member.html", config = "src/web/askama.toml")]
pub struct DetailPage {
    pub ctx: PageCtx,
    pub panel: PanelDefinition,
    pub m: member::Model,
    pub profile: Profile,
    pub background: Vec<(String, String)>,
    pub access: Vec<audit_entity::Model>,
    pub saved: bool,
    /// Took part or updated the profile in the last 12 months.
    pub active: bool,
}

impl DetailPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        datetime(at)
    }
    fn when_opt(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        opt_datetime(at)
    }
    fn is_pending(&self) -> bool {
        self.m.status == MemberStatus::Pending
    }
}

#[derive(serde::Deserialize)]
pub struct DetailQuery {
    opgeslagen: Option<String>,
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> WebResult<DetailPage> {
    let m = members::get(&state.db, id).await?;
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let profile = members::profile(&state.db, &m).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ViewMember,
        Some(id),
        Some(&m.panel_id),
        "profile",
        state.now(),
    )
    .await?;
    let (access, _) = audit::list(&state.db, Some(id), 0, 20).await?;
    let active = is_active(m.last_participated_at, m.profile_updated_at, state.now());
    Ok(DetailPage {
        background: background_labels(&panel, &profile),
        saved: q.opgeslagen.is_some(),
        active,
        ctx,
        panel,
        m,
        profile,
        access,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
) -> WebResult<EditPage> {
    let m = members::get(&state.db, id).await?;
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let profile = members::profile(&state.db, &m).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ViewMember,
        Some(id),
        Some(&m.panel_id),
        "edit form",
        state.now(),
    )
    .await?;
    let errors = FormErrors::none(ctx.lang);
    Ok(EditPage::new(
        ctx,
        &panel,
        input_of(&profile),
        m.version,
        errors,
        format!("/beheer/leden/{id}/wijzigen"),
        format!("/beheer/leden/{id}"),
    )
    .for_manager())
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let m = members::get(&state.db, id).await?;
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let before = members::profile(&state.db, &m).await?;
    let input = profile_input(&form, &panel);
    let version: i32 = form
        .get("version")
        .parse()
        .map_err(|_| WebError::BadRequest("error.bad_request"))?;
    let lang = ctx.lang;
    let action = format!("/beheer/leden/{id}/wijzigen");
    let cancel = format!("/beheer/leden/{id}");
    let member_lang = before.language;
    let mut profile =
        match signup::validate_profile(&panel, &input, member_lang, state.now().year()) {
            Ok(p) => p,
            Err(errors) => {
                let page = EditPage::new(
                    ctx,
                    &panel,
                    input,
                    version,
                    FormErrors::new(lang, &errors),
                    action,
                    cancel,
                )
                .for_manager();
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        };
    profile.language = member_lang;
    match members::update_profile(&state.db, id, version, &profile, state.now()).await {
        Ok(_) => {
            audit::record(
                &state.db,
                &auth.actor(),
                Action::ChangeMember,
                Some(id),
                Some(&m.panel_id),
                &changed_fields(&before, &profile),
                state.now(),
            )
            .await?;
            Ok(Redirect::to(&format!("/beheer/leden/{id}?opgeslagen=1")).into_response())
        }
        Err(StoreError::Conflict) => {
            let page = EditPage::new(
                ctx,
                &panel,
                input,
                version,
                FormErrors::single(lang, "name", "error.conflict_member"),
                action,
                cancel,
            )
            .for_manager();
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(StoreError::Duplicate(field)) => {
            let field = if field == "phone" { "phone" } else { "email" };
            let page = EditPage::new(
                ctx,
                &panel,
                input,
                version,
                FormErrors::single(lang, field, "form.error.contact_taken"),
                action,
                cancel,
            )
            .for_manager();
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Confirm a sign-up by hand (members without email, confirmed by phone).
pub async fn confirm(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Redirect> {
    let m = members::get(&state.db, id).await?;
    members::confirm(&state.db, id, state.now()).await?;
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ChangeMember,
        Some(id),
        Some(&m.panel_id),
        "confirmed sign-up",
        state.now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/beheer/leden/{id}?opgeslagen=1")))
}
