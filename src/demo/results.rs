//! A closed demo survey with results: the reference questionnaire, answered some weeks
//! ago by about 95 of 120 invited demo members (other members than the open survey's),
//! with the manager's feedback published, so the results pages have something to show;
//! and two earlier rounds, so the process evaluation has a trend to show.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use sea_orm::DatabaseConnection;

use crate::domain::feedback::{FeedbackAction, FeedbackTexts};
use crate::domain::member::MemberStatus;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::routing::{AnswerValue, ScaleAnswer};
use crate::domain::questionnaire::{Answers, OptionValue, QuestionId, Questionnaire};
use crate::domain::response::{Channel, Mode, Proxy, SurveyStatus};
use crate::domain::themes::{ThemeInput, suggest};
use crate::store::entities::questionnaire_version;
use crate::store::themes::{self, Code};
use crate::store::{StoreResult, members, responses, results};

/// Members invited to the closed survey, after the open survey's (fewer than this).
const INVITED: u64 = 120;

const WHAT_WE_DO: &str = "We hebben de uitkomsten besproken met het ministerie en met drie \
grote werkgevers. We vragen hen om vaste gesprekken tussen werknemer en leidinggevende.";
const WHAT_CHANGED: &str = "Twee werkgevers bieden nu een jobcoach aan. Over geld en \
werken is nog niets veranderd: daar blijven we over praten.";

const REMARKS: [&str; 8] = [
    "Mijn leidinggevende luistert goed.",
    "Ik wil graag minder uren werken.",
    "Meer uitleg over mijn uitkering.",
    "Een vaste collega helpt mij het meest.",
    "Ik weet niet wat ik overhoud van mijn geld als ik meer ga werken.",
    "Een jobcoach zou mij echt helpen.",
    "De reis naar mijn werk is zwaar.",
    "Mijn baas heeft weinig tijd voor mij.",
];

/// The manager's themes for the open answers: name, keywords, problem, insight, change.
const THEMES: [(&str, &str, &str, &str, &str); 2] = [
    (
        "Geld en uitkering",
        "uitkering, geld, uren",
        "Mensen weten niet wat meer werken doet met hun uitkering.",
        "Onzekerheid over geld houdt mensen tegen om meer te gaan werken.",
        "Eén plek waar mensen uitrekenen wat ze overhouden, met hulp als ze dat willen.",
    ),
    (
        "Steun van mensen op het werk",
        "leidinggevende, collega, jobcoach, baas",
        "Steun hangt af van één persoon die tijd heeft, of niet.",
        "Een vaste persoon op het werk maakt het verschil.",
        "Werkgevers regelen een vaste collega of jobcoach voor wie dat nodig heeft.",
    ),
];

fn id(text: &str) -> QuestionId {
    QuestionId::parse(text).expect("demo question ids are valid")
}

fn option(text: &str) -> OptionValue {
    OptionValue::parse(text).expect("demo option values are valid")
}

/// Believable answers to the reference questionnaire, routing respected; the
/// evaluation's clear, length and again questions come from `eval` (its own generator,
/// so the other answers stay as they were), better as `round` goes up (0, 1, 2).
fn answers(rng: &mut StdRng, eval: &mut StdRng, round: usize) -> Answers {
    let mut a = Answers::new();
    let works = rng.random::<f64>() < 0.65;
    a.insert(
        id("werk_nu"),
        AnswerValue::Choice(option(if works { "ja" } else { "nee" })),
    );
    if works {
        let effect = match rng.random_range(0..10) {
            0..=5 => "beter",
            6..=8 => "gelijk",
            _ => "slechter",
        };
        a.insert(id("effect_leven"), AnswerValue::Choice(option(effect)));
        let grade = [4u8, 5, 6, 6, 7, 7, 7, 8, 8, 9][rng.random_range(0..10)];
        a.insert(id("cijfer_steun"), AnswerValue::Grade(grade));
        a.insert(
            id("uren_week"),
            AnswerValue::Number(rng.random_range(8..=40)),
        );
    }
    let mut chosen: Vec<OptionValue> = ["gesprek", "uren", "jobcoach", "collega"]
        .into_iter()
        .filter(|_| rng.random::<f64>() < 0.4)
        .map(option)
        .collect();
    if chosen.is_empty() && rng.random::<f64>() < 0.5 {
        chosen.push(option("niets"));
    }
    if !chosen.is_empty() {
        chosen.truncate(3);
        a.insert(
            id("steun_helpt"),
            AnswerValue::Choices {
                values: chosen,
                other: None,
            },
        );
    }
    let scale = if rng.random::<f64>() < 0.15 {
        ScaleAnswer::DontKnow
    } else {
        ScaleAnswer::Point([1u8, 2, 2, 3, 3, 4, 4, 5][rng.random_range(0..8)])
    };
    a.insert(id("eens_zeker"), AnswerValue::Scale(scale));
    if rng.random::<f64>() < 0.3 {
        let remark = REMARKS[rng.random_range(0..REMARKS.len())];
        a.insert(id("wat_beter"), AnswerValue::Text(remark.to_owned()));
    }
    a.insert(
        id("_eval_answering"),
        AnswerValue::Grade(rng.random_range(6..=10)),
    );
    let wants = if rng.random::<f64>() < 0.8 {
        "ja"
    } else {
        "nee"
    };
    a.insert(id("_eval_results"), AnswerValue::Choice(option(wants)));
    // Most answer the evaluation; over the rounds the questions got clearer and shorter.
    if eval.random::<f64>() < 0.9 {
        let better = round as f64 * 0.1;
        let clear = match eval.random::<f64>() {
            x if x < 0.6 + better => "ja",
            x if x < 0.88 + better / 2.0 => "een_beetje",
            _ => "nee",
        };
        let length = match eval.random::<f64>() {
            x if x < 0.05 => "te_kort",
            x if x < 0.6 + better * 1.5 => "goed",
            _ => "te_lang",
        };
        let again = match eval.random::<f64>() {
            x if x < 0.65 + better => "ja",
            x if x < 0.9 + better / 2.0 => "misschien",
            _ => "nee",
        };
        a.insert(id("_eval_clear"), AnswerValue::Choice(option(clear)));
        a.insert(id("_eval_length"), AnswerValue::Choice(option(length)));
        a.insert(id("_eval_again"), AnswerValue::Choice(option(again)));
    }
    a
}

/// The demo themes, with each open answer coded as its keywords suggest; one remark
/// ("De reis…") stays without a theme.
async fn seed_themes(
    db: &DatabaseConnection,
    survey_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let mut made = Vec::new();
    for (name, keywords, problem, insight, change) in THEMES {
        let input = ThemeInput::new(name, keywords, problem, insight, change);
        let theme = themes::create(db, survey_id, &input, at).await?;
        made.push((theme.id, input.keywords));
    }
    let question = id("wat_beter");
    let mut codes = Vec::new();
    for r in results::finished_responses(db, survey_id).await? {
        if let Some(AnswerValue::Text(text)) = r.answers.get(&question) {
            let suggested = suggest(text, made.iter().map(|(id, k)| (*id, k.as_slice())));
            codes.extend(suggested.into_iter().map(|theme_id| Code {
                response_id: r.id,
                question_id: question.to_string(),
                theme_id,
            }));
        }
    }
    themes::add_codes(db, codes).await
}

/// A closed survey of the demo questionnaire: members on page `page` (of `INVITED`)
/// of the eligible active members invited at `opened`, about four in five answering.
/// Returns the survey and the link of a respondent invited by email.
#[allow(clippy::too_many_arguments)]
async fn answered_closed_survey(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    version: &questionnaire_version::Model,
    questionnaire: &Questionnaire,
    manager_id: i64,
    title: &str,
    (opened, closed): (DateTime<Utc>, DateTime<Utc>),
    page: u64,
    (seed, round): (u64, usize),
) -> StoreResult<(crate::store::entities::survey::Model, Option<String>)> {
    let survey = responses::create_survey(
        db,
        panel.id.as_str(),
        version.id,
        title,
        SurveyStatus::Closed,
        opened,
        closed,
        Some(manager_id),
        opened,
    )
    .await?;
    let mut filter = members::MemberFilter {
        status: Some(MemberStatus::Active),
        ..Default::default()
    };
    for (variable, categories) in &questionnaire.eligibility {
        if let [only] = categories.as_slice() {
            filter
                .background
                .insert(variable.to_string(), only.to_string());
        }
    }
    let (chosen, _) = members::list(db, panel.id.as_str(), &filter, page, INVITED).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut eval = StdRng::seed_from_u64(seed ^ 0xE7A1);
    let mut link = None;
    for (i, m) in chosen.into_iter().enumerate() {
        let channel = Channel::for_preference(m.contact_preference);
        let (_, token) = responses::invite(db, survey.id, m.id, channel, opened).await?;
        // About four in five answered.
        if rng.random::<f64>() >= 0.8 {
            continue;
        }
        let started = opened + Duration::hours(i as i64 * 7);
        let mode = match channel {
            Channel::Email => Mode::Web,
            Channel::Phone => Mode::Phone,
            Channel::Post => Mode::Paper,
        };
        let r = responses::start_response(db, &survey, &m.pseudonym, mode, None, started).await?;
        responses::set_proxy(db, r.id, Proxy::Alone, started).await?;
        let given = answers(&mut rng, &mut eval, round);
        let ids: Vec<QuestionId> = given.keys().cloned().collect();
        responses::save_answers(db, r.id, &given, &ids, started).await?;
        responses::finish(db, r.id, started + Duration::minutes(9)).await?;
        if link.is_none() && channel == Channel::Email {
            link = Some(format!("/uitnodiging/{token}"));
        }
    }
    Ok((survey, link))
}

/// The closed survey, its responses and published feedback, and two earlier rounds of
/// the same questionnaire to the same members (for the process evaluation over time);
/// returns the survey's id and the link of a respondent invited by email, whose
/// confirmation page leads to the results.
pub async fn seed_closed_survey(
    db: &DatabaseConnection,
    panel: &PanelDefinition,
    version: &questionnaire_version::Model,
    questionnaire: &Questionnaire,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<(i64, Option<String>)> {
    let opened = now - Duration::days(60);
    let closed = now - Duration::days(40);
    // The second page: the open demo survey invites the first.
    let (survey, link) = answered_closed_survey(
        db,
        panel,
        version,
        questionnaire,
        manager_id,
        &format!("{} (voorjaar)", version.title),
        (opened, closed),
        1,
        (20260315, 2),
    )
    .await?;
    for (round, days_ago) in [(0usize, 260i64), (1, 170)] {
        let opened = now - Duration::days(days_ago);
        answered_closed_survey(
            db,
            panel,
            version,
            questionnaire,
            manager_id,
            &format!("{} (ronde {})", version.title, round + 1),
            (opened, opened + Duration::days(20)),
            1,
            (20250901 + round as u64, round),
        )
        .await?;
    }
    seed_themes(db, survey.id, closed).await?;
    let texts = FeedbackTexts::new(WHAT_WE_DO, WHAT_CHANGED);
    results::save_feedback(
        db,
        survey.id,
        &texts,
        FeedbackAction::Publish,
        manager_id,
        closed + Duration::days(10),
    )
    .await?;
    Ok((survey.id, link))
}
