//! `/vragenlijst/{invitation}/resultaten`: a survey's results for a member who sent
//! their answers, once the manager published them: the key results in sentences, a table
//! per question with small groups as "minder dan 10", and what the manager wrote under
//! "Wat doen we ermee?" and "Wat is er veranderd, en wat niet?". Reached through the
//! invitation's link or after logging in, like the answering pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::may_open;
use crate::report::results_view::{MemberQuestion, less_than, member_question, paragraphs};
use crate::report::themes_view::{ThemesReport, public_themes_report};
use crate::service::results::{self as service, MemberView, SurveyResults};
use crate::stats::Public;
use crate::store::{members, responses};
use crate::web::ctx::PageCtx;
use crate::web::error::{WebError, WebResult};
use crate::web::pages::MessagePage;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "member/results.html", config = "src/web/askama.toml")]
pub struct MemberResultsPage {
    pub ctx: PageCtx,
    pub heading: String,
    /// The page title: the heading, or marked as the manager's preview.
    pub title: String,
    pub intro: String,
    pub questions: Vec<MemberQuestion>,
    pub themes: Option<ThemesReport>,
    pub what_we_do: Vec<String>,
    pub what_changed: Vec<String>,
    pub privacy: String,
    pub back: Option<(String, String)>,
    pub preview: bool,
}

/// The page for `results`; `preview` for the manager's look at it.
pub fn member_results_page(
    ctx: PageCtx,
    results: &SurveyResults,
    preview: bool,
    back: Option<(String, String)>,
) -> MemberResultsPage {
    let k = results.min_cell_size();
    let public = results.public();
    let intro = match public.respondents {
        Public::Shown(n) => ctx.tf1("results.member.intro", "n", n),
        Public::Hidden => ctx.tf1(
            "results.member.intro_hidden",
            "k",
            less_than(&ctx.texts(), k),
        ),
    };
    let questions = public
        .questions
        .iter()
        .filter(|q| !q.appended)
        .map(|q| member_question(&ctx.texts(), k, q))
        .collect();
    let feedback = results.feedback.as_ref();
    let heading = ctx.tf1("results.member.title", "title", &results.survey.title);
    MemberResultsPage {
        title: if preview {
            ctx.tf1("results.member.preview_title", "title", &heading)
        } else {
            heading.clone()
        },
        heading,
        intro,
        questions,
        themes: public_themes_report(
            &ctx.texts(),
            &results.themes,
            &results.theme_counts,
            k,
            false,
        ),
        what_we_do: feedback.map_or_else(Vec::new, |f| paragraphs(&f.what_we_do)),
        what_changed: feedback.map_or_else(Vec::new, |f| paragraphs(&f.what_changed)),
        privacy: ctx.tf1("results.member.privacy", "k", k),
        back,
        preview,
        ctx,
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(invitation_id): Path<i64>,
    request: Request,
) -> WebResult<Response> {
    let (parts, _) = request.into_parts();
    let invitation = responses::invitation(&state.db, invitation_id).await?;
    if !may_open(&state, &parts, &invitation).await? {
        return Err(WebError::LoginRequired { manager: false });
    }
    let member = members::get(&state.db, invitation.member_id).await?;
    let survey = responses::survey(&state.db, invitation.survey_id).await?;
    let view = service::for_member(&state.db, &survey, &member.pseudonym, ctx.lang)
        .await
        .map_err(WebError::from)?;
    Ok(match view {
        MemberView::Results(results) => {
            let back = Some((
                "/mijn-vragenlijsten".to_owned(),
                ctx.t("results.member.back").to_owned(),
            ));
            member_results_page(ctx, &results, false, back).into_response()
        }
        MemberView::NotRespondent => (
            StatusCode::FORBIDDEN,
            MessagePage::keys(
                ctx,
                "results.member.not_respondent_title",
                &["results.member.not_respondent_text"],
            ),
        )
            .into_response(),
        MemberView::NotPublished => MessagePage::keys(
            ctx,
            "results.member.not_published_title",
            &["results.member.not_published_text"],
        )
        .into_response(),
    })
}
