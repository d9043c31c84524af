//! `/beheer/enquetes/{survey}/papier`: find the invited member a returned paper
//! questionnaire belongs to (by name, email address, phone number or member number), and
//! start typing it in. Refusals (already sent, begun on the web) are said at the field.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::response::{Mode, ResponseStatus, SurveyStatus};
use crate::service::paper::{self, Refusal};
use crate::store::audit::{self, Action};
use crate::store::entities::{member, response, survey};
use crate::store::responses;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{Choice, FieldMsg, FormErrors, RadioGroup};

/// Most members listed for one search.
pub const MAX_SHOWN: u64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "paper/entry.html", config = "src/web/askama.toml")]
pub struct EntryPage {
    pub ctx: PageCtx,
    pub survey: survey::Model,
    pub query: String,
    /// The members found, as a radio group (empty when nothing was searched or found).
    pub members: RadioGroup,
    pub errors: FormErrors,
    /// The member began another way: the page offers to replace those answers.
    pub offer_replace: bool,
    pub closed: bool,
}

impl EntryPage {
    fn searched(&self) -> bool {
        !self.query.trim().is_empty()
    }
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    #[serde(default)]
    q: String,
}

/// "web", "telefoon", "papier".
fn mode_word(ctx: &PageCtx, mode: Mode) -> &'static str {
    ctx.t(&format!("survey.mode_short.{}", mode.code()))
}

/// Where a member stands for this survey, in words.
fn state_text(ctx: &PageCtx, response: Option<&response::Model>) -> String {
    match response {
        None => ctx.t("paper.entry.state.new").to_owned(),
        Some(r) if r.status == ResponseStatus::Finished => {
            ctx.tf1("paper.entry.state.sent", "mode", mode_word(ctx, r.mode))
        }
        Some(r) if r.mode == Mode::Paper => ctx.t("paper.entry.state.paper").to_owned(),
        Some(r) => ctx.tf1("paper.entry.state.begun", "mode", mode_word(ctx, r.mode)),
    }
}

/// The invited members matching `query`, plus `chosen` when it is invited but not among
/// them (so a refused choice stays on the page with its message).
async fn candidates(
    state: &AppState,
    ctx: &PageCtx,
    auth: &ManagerAuth,
    survey: &survey::Model,
    query: &str,
    chosen: Option<i64>,
) -> WebResult<Vec<Choice>> {
    let mut found = responses::search_invited(&state.db, survey.id, query, MAX_SHOWN).await?;
    if let Some(id) = chosen
        && !found.iter().any(|(m, _)| m.id == id)
    {
        let extra = responses::search_invited(&state.db, survey.id, &id.to_string(), 1).await?;
        found.splice(0..0, extra.into_iter().filter(|(m, _)| m.id == id));
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    // Names and addresses are personal data: the audit log says they were shown.
    audit::record(
        &state.db,
        &auth.actor(),
        Action::ListMembers,
        None,
        Some(&survey.panel_id),
        &format!("paper entry, survey {}: {} shown", survey.id, found.len()),
        state.now(),
    )
    .await?;
    let pseudonyms: Vec<&str> = found.iter().map(|(m, _)| m.pseudonym.as_str()).collect();
    let found_responses = responses::responses_of(&state.db, survey.id, &pseudonyms).await?;
    Ok(found
        .iter()
        .map(|(m, inv): &(member::Model, _)| {
            let response = found_responses.iter().find(|r| r.respondent == m.pseudonym);
            let contact = m.email.as_deref().or(m.phone.as_deref()).unwrap_or("–");
            let label = format!(
                "{} – {} – {} – {}",
                ctx.tf2(
                    "paper.entry.member",
                    "name",
                    m.name.as_deref().unwrap_or("–"),
                    "id",
                    m.id
                ),
                contact,
                ctx.t(&format!("survey.channel.{}", inv.channel.code())),
                state_text(ctx, response),
            );
            Choice::new(m.id.to_string(), label)
        })
        .collect())
}

fn group(ctx: &PageCtx, options: Vec<Choice>, selected: String) -> RadioGroup {
    RadioGroup {
        name: "member".to_owned(),
        legend: ctx.t("paper.entry.choose_legend").to_owned(),
        options,
        selected,
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    Query(q): Query<EntryQuery>,
) -> WebResult<EntryPage> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let options = candidates(&state, &ctx, &auth, &survey, &q.q, None).await?;
    Ok(EntryPage {
        members: group(&ctx, options, String::new()),
        errors: FormErrors::none(ctx.lang),
        query: q.q,
        offer_replace: false,
        closed: survey.status == SurveyStatus::Closed,
        survey,
        ctx,
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    Path(survey_id): Path<i64>,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let survey = responses::survey(&state.db, survey_id).await?;
    let query = form.get("q").to_owned();
    let chosen = form.get("member").parse::<i64>().ok();
    let refusal = match chosen {
        None => Err(ctx.t("paper.entry.choose").to_owned()),
        Some(member_id) => {
            let started = paper::start_entry(
                &state.db,
                &survey,
                member_id,
                &auth.0,
                form.checked("replace"),
                state.now(),
            )
            .await?;
            match started {
                Ok(response) => {
                    return Ok(Redirect::to(&format!("/beheer/papier/{}/wie", response.id))
                        .into_response());
                }
                Err(refusal) => Ok(refusal),
            }
        }
    };
    let (status, message, offer_replace) = match refusal {
        Err(message) => (StatusCode::UNPROCESSABLE_ENTITY, message, false),
        Ok(Refusal::SurveyClosed) => (
            StatusCode::GONE,
            ctx.t("paper.entry.closed").to_owned(),
            false,
        ),
        Ok(Refusal::NotInvited) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ctx.t("paper.entry.not_invited").to_owned(),
            false,
        ),
        Ok(Refusal::AlreadySent(mode)) => (
            StatusCode::CONFLICT,
            ctx.tf1("paper.entry.already_sent", "mode", mode_word(&ctx, mode)),
            false,
        ),
        Ok(Refusal::StartedElsewhere(mode)) => (
            StatusCode::CONFLICT,
            ctx.tf1(
                "paper.entry.started_elsewhere",
                "mode",
                mode_word(&ctx, mode),
            ),
            true,
        ),
    };
    let options = candidates(&state, &ctx, &auth, &survey, &query, chosen).await?;
    // The message sits at the list of members, or at the search field when there is none.
    let anchor = if options.is_empty() {
        "f-q"
    } else {
        "f-member"
    };
    let mut errors = FormErrors::none(ctx.lang);
    errors.list.push(FieldMsg {
        field: "member".to_owned(),
        anchor: anchor.to_owned(),
        message,
    });
    let selected = chosen.map(|id| id.to_string()).unwrap_or_default();
    let page = EntryPage {
        members: group(&ctx, options, selected),
        errors,
        query,
        offer_replace,
        closed: survey.status == SurveyStatus::Closed,
        survey,
        ctx,
    };
    Ok((status, page).into_response())
}
