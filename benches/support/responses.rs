//! Synthetic finished responses for the results benchmark: the 20 questions of
//! `results-questionnaire.json` answered by respondents whose background is skewed from
//! the panel's targets (as `data::BACKGROUND`), with answers that depend on that
//! background, item non-response, routing and a few rare options (so suppression has
//! small cells to hide). Also the same data as CSV, for the pandas comparison.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use chrono::{TimeZone, Utc};
use klankbord::domain::ids::{CategoryValue, VariableId};
use klankbord::domain::questionnaire::{
    AnswerValue, Answers, OptionValue, Question, QuestionId, QuestionType, ScaleAnswer,
};
use klankbord::domain::response::Mode;
use klankbord::store::results::FinishedResponse;
use rand::RngExt;
use rand::rngs::StdRng;

use super::data::{BACKGROUND, pick};

pub const QUESTIONNAIRE: &str = include_str!("results-questionnaire.json");

/// Background answers by respondent pseudonym, as `store::results::respondent_backgrounds`.
pub type Backgrounds = HashMap<String, BTreeMap<VariableId, CategoryValue>>;

/// Background variables every respondent answered (the weighting needs them); the
/// others are left unanswered by 2% (the crosstab's group "onbekend").
const ALWAYS_KNOWN: [&str; 3] = ["rol", "leeftijd", "regio"];

/// A normal draw (Box-Muller).
fn normal(rng: &mut StdRng, mean: f64, sd: f64) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    mean + sd * (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// An index drawn with the given shares; `shares.len()` takes what is left.
fn index(rng: &mut StdRng, shares: &[f64]) -> usize {
    let mut x: f64 = rng.random();
    for (i, share) in shares.iter().enumerate() {
        if x < *share {
            return i;
        }
        x -= share;
    }
    shares.len()
}

/// How each question is answered, given the respondent's background.
struct Respondent<'a> {
    situatie: Option<&'a str>,
    leeftijd: &'a str,
    naaste: bool,
}

/// The answer to `question` (by its id), or `None` when left empty.
fn answer(rng: &mut StdRng, question: &Question, who: &Respondent) -> Option<AnswerValue> {
    // Item non-response: 4% leave a question empty.
    if rng.random::<f64>() < 0.04 {
        return None;
    }
    let older = match who.leeftijd {
        "18-34" => -0.6,
        "35-54" => 0.0,
        _ => 0.5,
    };
    let option = |options: &[klankbord::domain::questionnaire::ChoiceOption], i: usize| {
        AnswerValue::Choice(options[i].value.clone())
    };
    let shares: &[f64] = match question.id.as_str() {
        "werk_nu" => match who.situatie {
            Some("regulier_werk") => &[0.95],
            Some("beschut_werk" | "banenafspraak") => &[0.9],
            Some(_) => &[0.15],
            None => &[0.4],
        },
        "effect_leven" => &[0.55, 0.3],
        "woonsituatie" => &[0.35, 0.4, 0.12, 0.129_98],
        "vervoer" => &[0.35, 0.25, 0.25, 0.149_995],
        "dagen_ziek" => &[0.35, 0.35, 0.2],
        "opleiding" => &[0.08, 0.4, 0.17, 0.349_95],
        "eens_zeker" => &[0.15, 0.25, 0.25, 0.2, 0.1],
        "tevreden_zorg" => &[0.08, 0.15, 0.3, 0.32],
        "begrip" => &[0.1, 0.2, 0.25, 0.25, 0.12],
        "stigma" => &[0.3, 0.4, 0.15, 0.09],
        "vertrouwen" => &[0.05, 0.08, 0.12, 0.25, 0.25, 0.15],
        _ => &[],
    };
    Some(match &question.kind {
        QuestionType::SingleChoice { options, .. } => {
            let mut shares = shares.to_vec();
            if question.id.as_str() == "werk_nu" && who.naaste {
                shares[0] = 0.6;
            }
            option(options, index(rng, &shares))
        }
        QuestionType::Scale { labels, dont_know } => {
            let i = index(rng, shares);
            if *dont_know && i >= labels.len() {
                AnswerValue::Scale(ScaleAnswer::DontKnow)
            } else {
                AnswerValue::Scale(ScaleAnswer::Point(i.min(labels.len() - 1) as u8 + 1))
            }
        }
        QuestionType::Grade { min, max } => {
            let mean = match question.id.as_str() {
                "cijfer_steun" => 7.0,
                "cijfer_leven" => 6.2 + older,
                _ if who.naaste => 6.3,
                _ => 6.9,
            };
            let g = normal(rng, mean, 1.8).round();
            AnswerValue::Grade(g.clamp(f64::from(*min), f64::from(*max)) as u8)
        }
        QuestionType::Number { min, max, .. } => {
            let x = match question.id.as_str() {
                "uren_week" => normal(rng, 24.0, 9.0),
                "leeftijd_klachten" => normal(rng, 22.0 + 4.0 * older, 9.0),
                _ => normal(rng, 1.0, 0.9).exp() - 1.0,
            };
            let (lo, hi) = (min.unwrap_or(0) as f64, max.unwrap_or(100) as f64);
            AnswerValue::Number(x.round().clamp(lo, hi) as i64)
        }
        QuestionType::MultipleChoice { options, other, .. } => {
            let chance: &[f64] = match question.id.as_str() {
                "steun_helpt" => &[0.4, 0.3, 0.25, 0.35],
                "hulp_gezocht" => &[0.6, 0.45, 0.3, 0.1, 0.2],
                _ => &[0.3, 0.35, 0.25, 0.1, 0.15, 0.000_3],
            };
            let exclusive = options.iter().position(|o| o.exclusive);
            let values: Vec<OptionValue> = match exclusive {
                Some(e) if rng.random::<f64>() < 0.08 => vec![options[e].value.clone()],
                _ => options
                    .iter()
                    .zip(chance)
                    .filter(|(_, p)| rng.random::<f64>() < **p)
                    .map(|(o, _)| o.value.clone())
                    .collect(),
            };
            let other = other
                .as_ref()
                .filter(|_| rng.random::<f64>() < 0.04)
                .map(|_| "iets anders".to_owned());
            if values.is_empty() && other.is_none() {
                return None;
            }
            AnswerValue::Choices { values, other }
        }
        QuestionType::OpenText { .. } => AnswerValue::Text("bench".to_owned()),
    })
}

/// A category of a background variable: its value, as text, and its share.
type Share = (CategoryValue, &'static str, f64);

/// `count` finished web responses to `questions` (routing followed: a question whose
/// condition does not hold gets no answer), and their respondents' backgrounds.
pub fn generate(
    questions: &[Question],
    count: usize,
    rng: &mut StdRng,
) -> (Vec<FinishedResponse>, Backgrounds) {
    let finished_at = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let variables: Vec<(VariableId, Vec<Share>)> = BACKGROUND
        .iter()
        .map(|(id, shares)| {
            let values = shares
                .iter()
                .map(|(v, s)| (CategoryValue::parse(v).unwrap(), *v, *s))
                .collect();
            (VariableId::parse(id).unwrap(), values)
        })
        .collect();
    let mut responses = Vec::with_capacity(count);
    let mut backgrounds = HashMap::with_capacity(count);
    for i in 0..count {
        let respondent = format!("bench-{i}");
        let mut background = BTreeMap::new();
        for (id, values) in &variables {
            if !ALWAYS_KNOWN.contains(&id.as_str()) && rng.random::<f64>() < 0.02 {
                continue;
            }
            let shares: Vec<(&'static str, f64)> =
                values.iter().map(|(_, v, s)| (*v, *s)).collect();
            let chosen = pick(rng, &shares);
            let value = values.iter().find(|(_, v, _)| *v == chosen).unwrap();
            background.insert(id.clone(), value.0.clone());
        }
        let get = |v: &str| background.get(v).map(CategoryValue::as_str);
        let who = Respondent {
            situatie: get("situatie"),
            leeftijd: get("leeftijd").unwrap_or("35-54"),
            naaste: get("rol") == Some("naaste"),
        };
        let mut answers = Answers::new();
        for question in questions {
            if !question.is_shown(&answers) {
                continue;
            }
            if let Some(a) = answer(rng, question, &who) {
                answers.insert(question.id.clone(), a);
            }
        }
        responses.push(FinishedResponse {
            id: i as i64 + 1,
            respondent: respondent.clone(),
            mode: Mode::Web,
            proxy: None,
            finished_at,
            answers,
        });
        backgrounds.insert(respondent, background);
    }
    (responses, backgrounds)
}

/// The CSV header cells of a question: one column, or for multiple choice a 0/1
/// column per option (`id.value`) and for "other" (`id._other`).
fn header(question: &Question) -> Vec<String> {
    match &question.kind {
        QuestionType::MultipleChoice { options, other, .. } => options
            .iter()
            .map(|o| format!("{}.{}", question.id, o.value))
            .chain(other.as_ref().map(|_| format!("{}._other", question.id)))
            .collect(),
        _ => vec![question.id.to_string()],
    }
}

/// The CSV cells of one answer (empty when not given): a single choice's value, a
/// scale point or `dk` ("weet ik niet"), a mark or number, multiple choice as 0/1.
fn cells(question: &Question, answer: Option<&AnswerValue>, out: &mut Vec<String>) {
    let answer = answer.filter(|a| a.is_given());
    match (&question.kind, answer) {
        (QuestionType::MultipleChoice { options, other, .. }, a) => {
            let (values, text) = match a {
                Some(AnswerValue::Choices { values, other }) => (values.as_slice(), other),
                _ => (&[][..], &None),
            };
            for o in options {
                out.push(if values.contains(&o.value) { "1" } else { "0" }.to_owned());
            }
            if other.is_some() {
                let given = text.as_deref().is_some_and(|t| !t.trim().is_empty());
                out.push(if given { "1" } else { "0" }.to_owned());
            }
        }
        (_, Some(AnswerValue::Choice(v))) => out.push(v.to_string()),
        (_, Some(AnswerValue::Scale(ScaleAnswer::Point(p)))) => out.push(p.to_string()),
        (_, Some(AnswerValue::Scale(ScaleAnswer::DontKnow))) => out.push("dk".to_owned()),
        (_, Some(AnswerValue::Grade(g))) => out.push(g.to_string()),
        (_, Some(AnswerValue::Number(n))) => out.push(n.to_string()),
        _ => out.push(String::new()),
    }
}

/// Write the responses as `responses.csv` in `dir`: one row per response with the
/// respondent, the background variables (empty when unknown) and the answers.
pub fn write_csv(
    dir: &Path,
    questions: &[Question],
    variables: &[&str],
    responses: &[FinishedResponse],
    backgrounds: &Backgrounds,
) -> std::io::Result<u64> {
    let path = dir.join("responses.csv");
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    let mut csv = csv::Writer::from_writer(file);
    let mut row: Vec<String> = vec!["respondent".to_owned()];
    row.extend(variables.iter().map(|v| (*v).to_owned()));
    row.extend(questions.iter().flat_map(header));
    csv.write_record(&row)?;
    let ids: Vec<QuestionId> = questions.iter().map(|q| q.id.clone()).collect();
    for response in responses {
        row.clear();
        row.push(response.respondent.clone());
        let background = backgrounds.get(&response.respondent);
        for v in variables {
            let value = background.and_then(|b| b.get(*v)).map(|c| c.to_string());
            row.push(value.unwrap_or_default());
        }
        for (question, id) in questions.iter().zip(&ids) {
            cells(question, response.answers.get(id), &mut row);
        }
        csv.write_record(&row)?;
    }
    let mut file = csv.into_inner().map_err(|e| e.into_error())?;
    file.flush()?;
    Ok(std::fs::metadata(&path)?.len())
}
