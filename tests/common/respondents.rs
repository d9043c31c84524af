//! A survey answered by `n` synthetic members, straight through the store: for the
//! results, report and email tests.

#![allow(dead_code)]

use klankbord::domain::questionnaire::{AnswerValue, Answers, OptionValue, QuestionId};
use klankbord::domain::response::{Channel, Mode};
use klankbord::store::{members as member_store, responses};

use super::fieldwork::members;
use super::{Browser, ClockExt, TestApp};

pub fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

/// Answers from `(question id, value)` pairs.
pub fn answers(pairs: Vec<(&str, AnswerValue)>) -> Answers {
    pairs
        .into_iter()
        .map(|(id, v)| (QuestionId::parse(id).unwrap(), v))
        .collect()
}

/// An open survey of the reference questionnaire; `invited` members (with "rol" from
/// `rol(i)`) are invited, and those for whom `given(i)` is `Some` send those answers.
/// Returns the logged-in manager, the survey and each member's invitation id.
pub async fn answered_survey(
    app: &TestApp,
    invited: usize,
    rol: impl Fn(usize) -> &'static str,
    given: impl Fn(usize) -> Option<Answers>,
) -> (Browser, i64, Vec<i64>) {
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let now = app.clock.now_utc();
    let ids = members(&app.db, invited, now, |i| vec![("rol", rol(i))]).await;
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    let mut invitations = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let (inv, _) = responses::invite(&app.db, survey_id, *id, Channel::Email, now)
            .await
            .unwrap();
        invitations.push(inv.id);
        let Some(given) = given(i) else { continue };
        let m = member_store::get(&app.db, *id).await.unwrap();
        let r = responses::start_response(&app.db, &survey, &m.pseudonym, Mode::Web, None, now)
            .await
            .unwrap();
        let qids: Vec<QuestionId> = given.keys().cloned().collect();
        responses::save_answers(&app.db, r.id, &given, &qids, now)
            .await
            .unwrap();
        responses::finish(&app.db, r.id, now).await.unwrap();
    }
    (manager, survey_id, invitations)
}

/// 24 respondents: 14 work; relatives (naaste) are the last 4, a group below the
/// minimum of 10; one open answer ("Een baas die luistert"). The manager who made the
/// survey, and the survey.
pub async fn small_group_survey(app: &TestApp) -> (Browser, i64) {
    let (manager, survey_id, _) = answered_survey(
        app,
        24,
        |i| if i < 20 { "ervaring" } else { "naaste" },
        |i| {
            let mut a = vec![("werk_nu", choice(if i < 14 { "ja" } else { "nee" }))];
            if i == 0 {
                a.push((
                    "wat_beter",
                    AnswerValue::Text("Een baas die luistert".into()),
                ));
            }
            Some(answers(a))
        },
    )
    .await;
    (manager, survey_id)
}
