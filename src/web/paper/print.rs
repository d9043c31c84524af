//! `GET /beheer/vragenlijsten/versies/{id}/papier`: a questionnaire version as members who
//! take part by post get it. A page of its own (no site navigation), in the
//! questionnaire's language, that prints on A4: boxes and ruled lines are borders, every
//! question is numbered, routing is written out in words.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::answer::DEFAULT_MAX_LENGTH;
use crate::domain::questionnaire::flow::Flow;
use crate::domain::questionnaire::paper::{ConditionLine, condition_in_words};
use crate::domain::questionnaire::{Question, QuestionType, Questionnaire};
use crate::domain::response::Proxy;
use crate::i18n::{self, Lang};
use crate::store::entities::questionnaire_version;
use crate::store::{panels, questionnaires};
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::state::AppState;

/// A box to tick, with its label.
pub struct PrintBox {
    pub label: String,
    /// "Only tick this if nothing else fits."
    pub note: Option<String>,
}

/// Where the answer goes on paper.
pub enum PrintAnswer {
    Boxes {
        boxes: Vec<PrintBox>,
        /// Side by side (a grade), instead of one under the other.
        row: bool,
        /// The "other, namely" box: its label, followed by a line to write on.
        other: Option<String>,
    },
    Number {
        unit: Option<String>,
    },
    Lines(usize),
}

pub struct PrintQuestion {
    pub number: usize,
    pub text: String,
    pub help: Option<String>,
    pub optional: bool,
    pub routing: Vec<ConditionLine>,
    /// How to answer, in words ("Kruis één hokje aan.").
    pub instruction: String,
    pub answer: PrintAnswer,
}

#[derive(Template, WebTemplate)]
#[template(path = "paper/print.html", config = "src/web/askama.toml")]
pub struct PrintPage {
    /// The manager's context (the link back); the page itself is in `lang`.
    pub ctx: PageCtx,
    pub lang: Lang,
    pub version_id: i64,
    pub q: Questionnaire,
    pub questions: Vec<PrintQuestion>,
    pub proxy: Vec<String>,
    pub organisation: String,
    pub phone: Option<String>,
}

impl PrintPage {
    fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        i18n::tf(self.lang, key, &[(name, &value)])
    }

    /// What the member gets for taking part, when anything.
    fn compensation(&self) -> Option<String> {
        self.q.compensation.as_ref().map(|c| c.describe(self.lang))
    }
}

fn tick_one(lang: Lang) -> String {
    i18n::t(lang, "paper.print.tick_one").to_owned()
}

fn boxes(labels: impl IntoIterator<Item = String>) -> Vec<PrintBox> {
    labels
        .into_iter()
        .map(|label| PrintBox { label, note: None })
        .collect()
}

/// How many ruled lines an open question gets: room for about the longest answer
/// people give, not for the maximum length.
fn lines_for(max_length: Option<u32>) -> usize {
    match max_length.map_or(DEFAULT_MAX_LENGTH, |m| m as usize) {
        0..=200 => 3,
        201..=1000 => 5,
        _ => 7,
    }
}

pub fn print_question(
    question: &Question,
    number: usize,
    all: &[Question],
    lang: Lang,
) -> PrintQuestion {
    let (instruction, answer) = match &question.kind {
        QuestionType::SingleChoice { options, .. } => (
            tick_one(lang),
            PrintAnswer::Boxes {
                boxes: boxes(options.iter().map(|o| o.label.clone())),
                row: false,
                other: None,
            },
        ),
        QuestionType::MultipleChoice {
            options,
            max_choices,
            other,
        } => {
            let instruction = match max_choices {
                Some(1) => tick_one(lang),
                Some(max) => i18n::tf(lang, "paper.print.tick_up_to", &[("max", max)]),
                None => i18n::t(lang, "paper.print.tick_more").to_owned(),
            };
            let boxes = options
                .iter()
                .map(|o| PrintBox {
                    label: o.label.clone(),
                    note: o
                        .exclusive
                        .then(|| i18n::t(lang, "paper.print.exclusive").to_owned()),
                })
                .collect();
            (
                instruction,
                PrintAnswer::Boxes {
                    boxes,
                    row: false,
                    other: other.as_ref().map(|o| o.label.clone()),
                },
            )
        }
        QuestionType::Grade { min, max } => (
            i18n::tf(
                lang,
                "paper.print.tick_grade",
                &[("min", min), ("max", max)],
            ),
            PrintAnswer::Boxes {
                boxes: boxes((*min..=*max).map(|g| g.to_string())),
                row: true,
                other: None,
            },
        ),
        QuestionType::Scale { labels, dont_know } => {
            let mut labels = labels.clone();
            if *dont_know {
                labels.push(i18n::t(lang, "answering.dont_know").to_owned());
            }
            (
                tick_one(lang),
                PrintAnswer::Boxes {
                    boxes: boxes(labels),
                    row: false,
                    other: None,
                },
            )
        }
        QuestionType::Number { min, max, unit } => (
            match (min, max) {
                (Some(min), Some(max)) => i18n::tf(
                    lang,
                    "paper.print.number_between",
                    &[("min", min), ("max", max)],
                ),
                _ => i18n::t(lang, "paper.print.number").to_owned(),
            },
            PrintAnswer::Number { unit: unit.clone() },
        ),
        QuestionType::OpenText { max_length } => (
            i18n::t(lang, "paper.print.write").to_owned(),
            PrintAnswer::Lines(lines_for(*max_length)),
        ),
    };
    PrintQuestion {
        number,
        text: question.text.clone(),
        help: question.help.clone(),
        optional: !question.required,
        routing: question
            .show_if
            .as_ref()
            .map(|c| condition_in_words(c, all, lang))
            .unwrap_or_default(),
        instruction,
        answer,
    }
}

/// A questionnaire version to print, with its panel and the parsed questionnaire.
pub async fn printable(
    state: &AppState,
    version_id: i64,
) -> WebResult<(questionnaire_version::Model, PanelDefinition, Questionnaire)> {
    let version = questionnaires::version(&state.db, version_id).await?;
    let questionnaire = questionnaires::questionnaire(&state.db, version.questionnaire_id).await?;
    let panel = panels::get(&state.db, &questionnaire.panel_id).await?;
    let q = questionnaires::parsed(&version)?;
    Ok((version, panel, q))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    _auth: ManagerAuth,
    Path(id): Path<i64>,
) -> WebResult<PrintPage> {
    let (version, panel, q) = printable(&state, id).await?;
    // Members read the questionnaire in its own language, whatever the manager reads.
    let lang = q.language;
    let flow = Flow::new(&q, lang);
    let all = flow.questions();
    let questions = all
        .iter()
        .enumerate()
        .map(|(i, question)| print_question(question, i + 1, all, lang))
        .collect();
    Ok(PrintPage {
        ctx,
        lang,
        version_id: version.id,
        questions,
        proxy: Proxy::ALL
            .iter()
            .map(|p| i18n::t(lang, p.i18n_key()).to_owned())
            .collect(),
        organisation: panel.organisation,
        phone: panel.phone,
        q,
    })
}

#[cfg(test)]
mod tests {
    use crate::domain::plain_language::{Severity, check_text};
    use crate::i18n::{self, Lang};

    /// The Dutch a member reads on paper passes the project's own B1 check.
    #[test]
    fn the_printed_texts_are_plain_dutch() {
        let manager_only = [
            "paper.print.nav",
            "paper.print.back",
            "paper.print.how_to_print",
        ];
        let mut problems = Vec::new();
        for key in i18n::keys(Lang::Nl) {
            let printed = key.starts_with("paper.print.") || key.starts_with("paper.routing.");
            if !printed || manager_only.contains(&key) {
                continue;
            }
            let text = i18n::tf(
                Lang::Nl,
                key,
                &[
                    ("n", &3),
                    ("min", &1),
                    ("max", &10),
                    ("answer", &"'Ja'"),
                    ("amount", &"€ 5,00"),
                    ("euros", &5),
                    ("cents", &"00"),
                    ("organisation", &"Stichting Voorbeeld"),
                    ("email", &"panel@voorbeeld.nl"),
                    ("phone", &"030 123 45 67"),
                ],
            );
            let report = check_text(&text);
            if report.count(Severity::Problem) > 0 {
                problems.push(format!("{key}: {text}: {:?}", report.findings));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
