//! What the export tests share: six members answering the reference questionnaire,
//! downloading a file as a manager, and reading the CSV back.

use chrono::Duration;
use klankbord::domain::questionnaire::{
    AnswerValue, Answers, OptionValue, QuestionId, ScaleAnswer,
};
use klankbord::domain::response::{Channel, Mode, Proxy};
use klankbord::store::entities::member;
use klankbord::store::{members as member_store, responses};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::common::fieldwork::members;
use crate::common::{Browser, ClockExt, TestApp};

pub fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

pub fn choices(values: &[&str], other: Option<&str>) -> AnswerValue {
    AnswerValue::Choices {
        values: values
            .iter()
            .map(|v| OptionValue::parse(v).unwrap())
            .collect(),
        other: other.map(str::to_owned),
    }
}

pub fn answers(pairs: Vec<(&str, AnswerValue)>) -> Answers {
    pairs
        .into_iter()
        .map(|(id, v)| (QuestionId::parse(id).unwrap(), v))
        .collect()
}

/// The text of "other" in the first response: a comma, quotes and a line break.
pub const OTHER: &str = "Een maatje, \"echt\"\nthuis";

/// How a member answered: the mode, and who filled in.
pub type How = (Mode, Option<Proxy>);

/// Store a response of the member, finished `minute` minutes from now when asked.
pub async fn respond(
    app: &TestApp,
    survey_id: i64,
    member_id: i64,
    how: How,
    given: Answers,
    finish_at: Option<i64>,
) {
    let now = app.clock.now_utc();
    responses::invite(&app.db, survey_id, member_id, Channel::Email, now)
        .await
        .unwrap();
    let survey = responses::survey(&app.db, survey_id).await.unwrap();
    let m = member_store::get(&app.db, member_id).await.unwrap();
    let r = responses::start_response(&app.db, &survey, &m.pseudonym, how.0, None, now)
        .await
        .unwrap();
    if let Some(proxy) = how.1 {
        responses::set_proxy(&app.db, r.id, proxy, now)
            .await
            .unwrap();
    }
    let ids: Vec<QuestionId> = given.keys().cloned().collect();
    responses::save_answers(&app.db, r.id, &given, &ids, now)
        .await
        .unwrap();
    if let Some(minute) = finish_at {
        responses::finish(&app.db, r.id, now + Duration::minutes(minute))
            .await
            .unwrap();
    }
}

pub struct Setup {
    pub manager: Browser,
    pub survey_id: i64,
    /// The members' ids and pseudonyms: nothing of them may be in the export.
    pub member_ids: Vec<i64>,
    pub pseudonyms: Vec<String>,
}

/// Six members answer the reference questionnaire: 0 works (web, alone), 1 does not
/// (phone, by someone else, does not know), 2 works (paper, with help, skips a question),
/// 3 does not (web), 4 never finishes, 5 finishes and then erases their account while
/// keeping the answers anonymous.
pub async fn setup(app: &TestApp) -> Setup {
    let manager = app.manager().await;
    let manager_id = klankbord::store::managers::list(&app.db).await.unwrap()[0].id;
    let (_, survey_id) = app.open_survey(manager_id).await;
    let ages = ["18-34", "35-54", "55+"];
    let ids = members(&app.db, 6, app.clock.now_utc(), |i| {
        vec![
            ("rol", "ervaring"),
            ("leeftijd", ages[i % 3]),
            ("regio", "west"),
        ]
    })
    .await;
    let mut pseudonyms = Vec::new();
    for id in &ids {
        pseudonyms.push(member_store::get(&app.db, *id).await.unwrap().pseudonym);
    }
    let plan: Vec<(How, Answers, Option<i64>)> = vec![
        (
            (Mode::Web, Some(Proxy::Alone)),
            answers(vec![
                ("werk_nu", choice("ja")),
                ("effect_leven", choice("beter")),
                ("cijfer_steun", AnswerValue::Grade(7)),
                ("steun_helpt", choices(&["gesprek", "uren"], Some(OTHER))),
                ("uren_week", AnswerValue::Number(32)),
                ("eens_zeker", AnswerValue::Scale(ScaleAnswer::Point(5))),
                ("wat_beter", AnswerValue::Text("Meer begrip".into())),
                ("_eval_answering", AnswerValue::Grade(9)),
            ]),
            Some(1),
        ),
        (
            (Mode::Phone, Some(Proxy::ByOther)),
            answers(vec![
                ("werk_nu", choice("nee")),
                ("steun_helpt", choices(&["niets"], None)),
                ("eens_zeker", AnswerValue::Scale(ScaleAnswer::DontKnow)),
            ]),
            Some(2),
        ),
        (
            (Mode::Paper, Some(Proxy::WithHelp)),
            answers(vec![
                ("werk_nu", choice("ja")),
                ("cijfer_steun", AnswerValue::Grade(4)),
                ("uren_week", AnswerValue::Number(0)),
            ]),
            Some(3),
        ),
        (
            (Mode::Web, Some(Proxy::Alone)),
            answers(vec![
                ("werk_nu", choice("nee")),
                ("steun_helpt", choices(&["jobcoach"], None)),
                ("eens_zeker", AnswerValue::Scale(ScaleAnswer::Point(2))),
            ]),
            Some(4),
        ),
        (
            (Mode::Web, None),
            answers(vec![("werk_nu", choice("ja"))]),
            None,
        ),
        (
            (Mode::Web, Some(Proxy::Alone)),
            answers(vec![("werk_nu", choice("nee"))]),
            Some(5),
        ),
    ];
    for (i, (how, given, finish)) in plan.into_iter().enumerate() {
        respond(app, survey_id, ids[i], how, given, finish).await;
    }
    member::Entity::update_many()
        .col_expr(member::Column::KeepAnswersAnonymous, Expr::value(true))
        .filter(member::Column::Id.eq(ids[5]))
        .exec(&app.db)
        .await
        .unwrap();
    klankbord::service::members::erase(&app.db, ids[5])
        .await
        .unwrap();
    Setup {
        manager,
        survey_id,
        member_ids: ids,
        pseudonyms,
    }
}

pub fn path(survey_id: i64, file: &str) -> String {
    format!("/beheer/enquetes/{survey_id}/export/{file}")
}

/// Download `file`; asserts status 200 and the content type and file name.
pub async fn download(b: &Browser, survey_id: i64, file: &str, kind: &str, name: &str) -> Vec<u8> {
    let r = b.get(&path(survey_id, file)).await;
    assert_eq!(r.status(), 200, "{file}");
    let header = |h: &str| r.headers()[h].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), kind);
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{name}\"")
    );
    assert_eq!(header("cache-control"), "no-store");
    r.bytes().await.unwrap().to_vec()
}

pub async fn download_csv(s: &Setup) -> String {
    let bytes = download(
        &s.manager,
        s.survey_id,
        "antwoorden.csv",
        "text/csv; charset=utf-8",
        &format!("antwoorden-enquete-{}.csv", s.survey_id),
    )
    .await;
    String::from_utf8(bytes).unwrap()
}

/// The CSV as (header, rows), read with the `csv` crate.
pub fn parse(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let body = csv_text
        .strip_prefix('\u{feff}')
        .expect("UTF-8 byte order mark");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}
