//! The results email: when the manager first publishes a survey's results, every
//! respondent who answered "ja" to "Wilt u de uitkomsten krijgen?" (`_eval_results`)
//! and still is an active member with an email address gets the key results in
//! sentences, "Wat doen we ermee?", "Wat is er veranderd, en wat niet?" and a link to
//! the results page. Nobody else does. Queued in the outbox within the publishing
//! transaction, one message per member and survey (publishing again sends nothing new).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::results::{ResultsError, SurveyResults, load};
use crate::domain::member::MemberStatus;
use crate::domain::questionnaire::{AnswerValue, QuestionId};
use crate::i18n::{Lang, Texts};
use crate::mail::compose::{self, ResultsText};
use crate::report::results_view::{member_question, paragraphs};
use crate::stats::Public;
use crate::store::entities::survey;
use crate::store::outbox::{self, NewMail};
use crate::store::{members, responses, results};

/// The evaluation question asking whether the respondent wants the results.
pub const WANTS_RESULTS: &str = "_eval_results";

fn wants_results(answers: &crate::domain::questionnaire::Answers) -> bool {
    let Ok(id) = QuestionId::parse(WANTS_RESULTS) else {
        return false;
    };
    matches!(answers.get(&id), Some(AnswerValue::Choice(v)) if v.as_str() == "ja")
}

/// The key sentences of the survey's results, as respondents read them: questions with
/// too few answers to show are left out (the results page names them).
fn sentences(results: &SurveyResults, lang: Lang) -> Vec<String> {
    let texts = Texts { lang };
    let k = results.min_cell_size();
    let shown: Vec<String> = results
        .public()
        .questions
        .iter()
        .filter(|q| !q.appended && q.answered != Public::Hidden)
        .flat_map(|q| {
            member_question(&texts, k, q)
                .sentences
                .into_iter()
                .map(move |s| format!("{} {s}", q.text))
        })
        .collect();
    if shown.is_empty() {
        return vec![texts.t("results.sentence.too_few").to_owned()];
    }
    shown
}

/// Queue the results email for every respondent who asked for it; how many were queued.
pub async fn queue(
    db: &impl ConnectionTrait,
    survey: &survey::Model,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<u64, ResultsError> {
    let finished = results::finished_responses(db, survey.id).await?;
    let mut by_lang: HashMap<Lang, (SurveyResults, Vec<String>)> = HashMap::new();
    let mut queued = 0;
    for response in finished.iter().filter(|r| wants_results(&r.answers)) {
        let Some(member) = members::by_pseudonym(db, &response.respondent).await? else {
            continue;
        };
        let Some(email) = member
            .email
            .clone()
            .filter(|_| member.status == MemberStatus::Active)
        else {
            continue;
        };
        let Some(invitation) = responses::invitation_for(db, survey.id, member.id).await? else {
            continue;
        };
        let lang = Lang::from_code(&member.language).unwrap_or(Lang::Nl);
        if let Entry::Vacant(slot) = by_lang.entry(lang) {
            let loaded = load(db, survey.id, lang).await?;
            let s = sentences(&loaded, lang);
            slot.insert((loaded, s));
        }
        let (loaded, sentences) = &by_lang[&lang];
        let feedback = loaded.feedback.as_ref();
        let text = ResultsText {
            title: survey.title.clone(),
            sentences: sentences.clone(),
            what_we_do: feedback.map_or_else(Vec::new, |f| paragraphs(&f.what_we_do)),
            what_changed: feedback.map_or_else(Vec::new, |f| paragraphs(&f.what_changed)),
            link: format!("{base_url}/vragenlijst/{}/resultaten", invitation.id),
            min_cell_size: loaded.min_cell_size(),
        };
        let mail = compose::results(lang, &loaded.panel, member.name.as_deref(), &text);
        outbox::enqueue(
            db,
            NewMail {
                idempotency_key: format!("survey:{}:results:{}", survey.id, member.id),
                member_id: Some(member.id),
                recipient: email,
                subject: mail.subject,
                body_text: mail.text,
                body_html: mail.html,
                headers: Vec::new(),
            },
            now,
        )
        .await?;
        queued += 1;
    }
    Ok(queued)
}
