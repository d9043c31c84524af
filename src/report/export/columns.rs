//! The columns of the export: a name, label, codes and missing codes per variable, and
//! how each column's cell is found in a response (`Fill`). Fixed columns come first
//! (respondent, mode, proxy, help, date), then the panel's background variables, then
//! a column per question (one per option for multiple choice), then the weight.

use std::collections::{HashMap, HashSet};

use super::build::{Reply, SurveyData};
use super::{
    BIG_NO_ANSWER, BIG_NOT_ASKED, DONT_KNOW, Measure, NO_ANSWER, NOT_ASKED, Names, Storage,
    ValueLabel, Variable, VariableKind, WEIGHT_DECIMALS,
};
use crate::domain::ids::VariableId;
use crate::domain::questionnaire::{AnswerValue, OptionValue, Question, QuestionType};
use crate::domain::response::Mode;
use crate::i18n::{Lang, t};

/// How a column's cell is found in a response. `q` is the question's position.
pub(super) enum Fill {
    Respondent,
    Mode,
    Proxy,
    Helped,
    Finished,
    Weight,
    Background {
        variable: VariableId,
        codes: HashMap<String, i64>,
    },
    Single {
        q: usize,
        codes: HashMap<String, i64>,
    },
    Scale {
        q: usize,
        points: usize,
        dont_know: bool,
    },
    Grade {
        q: usize,
    },
    Number {
        q: usize,
        not_asked: i64,
        no_answer: i64,
    },
    Chosen {
        q: usize,
        option: OptionValue,
    },
    Other {
        q: usize,
    },
    OtherText {
        q: usize,
    },
    Open {
        q: usize,
    },
}

pub(super) struct Column {
    pub(super) variable: Variable,
    pub(super) fill: Fill,
}

/// Codes for `values` in this order: the values themselves when each is a whole number
/// written plainly (0 to 99999) and no two are the same, otherwise 1, 2, 3, ….
pub(super) fn codes(values: &[&str]) -> Vec<i64> {
    let own: Vec<Option<i64>> = values
        .iter()
        .map(|v| {
            v.parse::<i64>()
                .ok()
                .filter(|n| (0..=99_999).contains(n) && n.to_string() == *v)
        })
        .collect();
    let distinct = own.iter().flatten().collect::<HashSet<_>>().len() == values.len();
    if distinct {
        own.into_iter().flatten().collect()
    } else {
        (1..=values.len() as i64).collect()
    }
}

fn labelled(values: &[(&str, &str)]) -> (Vec<ValueLabel>, HashMap<String, i64>) {
    let plain: Vec<&str> = values.iter().map(|(v, _)| *v).collect();
    let codes = codes(&plain);
    let labels = values
        .iter()
        .zip(&codes)
        .map(|((value, label), code)| ValueLabel {
            code: *code,
            label: (*label).to_owned(),
            value: Some((*value).to_owned()),
        })
        .collect();
    let lookup = values
        .iter()
        .zip(codes)
        .map(|((v, _), c)| ((*v).to_owned(), c))
        .collect();
    (labels, lookup)
}

fn missing(lang: Lang, dont_know: bool, codes: (i64, i64)) -> Vec<ValueLabel> {
    let mut out = Vec::new();
    if dont_know {
        out.push(ValueLabel::new(
            DONT_KNOW,
            t(lang, "export.missing.dont_know"),
        ));
    }
    out.push(ValueLabel::new(
        codes.0,
        t(lang, "export.missing.not_asked"),
    ));
    out.push(ValueLabel::new(
        codes.1,
        t(lang, "export.missing.no_answer"),
    ));
    out
}

fn unknown(lang: Lang) -> Vec<ValueLabel> {
    vec![ValueLabel::new(
        NO_ANSWER,
        t(lang, "export.missing.unknown"),
    )]
}

fn yes_no(lang: Lang, yes: &str, no: &str) -> Vec<ValueLabel> {
    vec![
        ValueLabel::new(0, t(lang, no)),
        ValueLabel::new(1, t(lang, yes)),
    ]
}

fn variable(name: String, label: impl Into<String>, kind: VariableKind) -> Variable {
    let (storage, measure) = match kind {
        VariableKind::Respondent | VariableKind::OtherText | VariableKind::OpenText => {
            (Storage::Text, Measure::Nominal)
        }
        VariableKind::Finished => (Storage::Date, Measure::Scale),
        VariableKind::Grade | VariableKind::Number => (Storage::Integer, Measure::Scale),
        VariableKind::Scale => (Storage::Integer, Measure::Ordinal),
        VariableKind::Weight => (Storage::Decimal(WEIGHT_DECIMALS), Measure::Scale),
        _ => (Storage::Integer, Measure::Nominal),
    };
    Variable {
        name,
        label: label.into(),
        kind,
        storage,
        measure,
        values: Vec::new(),
        missing: Vec::new(),
    }
}

pub(super) fn columns(data: &SurveyData, replies: &[Vec<Reply>]) -> Vec<Column> {
    let lang = data.lang;
    let mut names = Names::default();
    let fixed = [
        "respondent",
        "mode",
        "proxy",
        "helped",
        "finished",
        "weight",
    ];
    let [respondent, mode, proxy, helped, finished, weight] = fixed.map(|n| names.claim(n));
    let label = |key: &str| t(lang, &format!("export.variable.{key}"));
    let mut out = vec![
        Column {
            variable: variable(respondent, label("respondent"), VariableKind::Respondent),
            fill: Fill::Respondent,
        },
        Column {
            variable: Variable {
                values: Mode::ALL
                    .iter()
                    .zip(1..)
                    .map(|(m, code)| ValueLabel {
                        code,
                        label: t(lang, &format!("survey.mode_short.{}", m.code())).to_owned(),
                        value: Some(m.code().to_owned()),
                    })
                    .collect(),
                ..variable(mode, label("mode"), VariableKind::Mode)
            },
            fill: Fill::Mode,
        },
        Column {
            variable: Variable {
                values: yes_no(lang, "export.value.yes", "export.value.no"),
                missing: unknown(lang),
                ..variable(proxy, label("proxy"), VariableKind::Proxy)
            },
            fill: Fill::Proxy,
        },
        Column {
            variable: Variable {
                values: yes_no(lang, "export.value.yes", "export.value.no"),
                missing: unknown(lang),
                ..variable(helped, label("helped"), VariableKind::Helped)
            },
            fill: Fill::Helped,
        },
        Column {
            variable: variable(finished, label("finished"), VariableKind::Finished),
            fill: Fill::Finished,
        },
    ];
    for var in data.background {
        let pairs: Vec<(&str, &str)> = var
            .categories
            .iter()
            .map(|c| (c.value.as_str(), c.label.as_str()))
            .collect();
        let (values, codes) = labelled(&pairs);
        let name = names.claim(&format!("bg_{}", var.id));
        out.push(Column {
            variable: Variable {
                values,
                missing: unknown(lang),
                ..variable(name, var.question.clone(), VariableKind::Background)
            },
            fill: Fill::Background {
                variable: var.id.clone(),
                codes,
            },
        });
    }
    for (q, question) in data.questions.iter().enumerate() {
        out.extend(question_columns(lang, &mut names, q, question, replies));
    }
    out.push(Column {
        variable: variable(weight, label("weight"), VariableKind::Weight),
        fill: Fill::Weight,
    });
    out
}

fn question_columns(
    lang: Lang,
    names: &mut Names,
    q: usize,
    question: &Question,
    replies: &[Vec<Reply>],
) -> Vec<Column> {
    let id = question.id.as_str();
    let text = question.text.as_str();
    let standard = (NOT_ASKED, NO_ANSWER);
    match &question.kind {
        QuestionType::SingleChoice { options, .. } => {
            let pairs: Vec<(&str, &str)> = options
                .iter()
                .map(|o| (o.value.as_str(), o.label.as_str()))
                .collect();
            let (values, codes) = labelled(&pairs);
            let variable = Variable {
                values,
                missing: missing(lang, false, standard),
                ..variable(names.claim(id), text, VariableKind::SingleChoice)
            };
            vec![Column {
                variable,
                fill: Fill::Single { q, codes },
            }]
        }
        QuestionType::Scale { labels, dont_know } => {
            let variable = Variable {
                values: labels
                    .iter()
                    .zip(1..)
                    .map(|(label, code)| ValueLabel::new(code, label.clone()))
                    .collect(),
                missing: missing(lang, *dont_know, standard),
                ..variable(names.claim(id), text, VariableKind::Scale)
            };
            let fill = Fill::Scale {
                q,
                points: labels.len(),
                dont_know: *dont_know,
            };
            vec![Column { variable, fill }]
        }
        QuestionType::Grade { .. } => {
            let variable = Variable {
                missing: missing(lang, false, standard),
                ..variable(names.claim(id), text, VariableKind::Grade)
            };
            vec![Column {
                variable,
                fill: Fill::Grade { q },
            }]
        }
        QuestionType::Number { min, max, unit } => {
            let codes = number_codes(*min, *max, q, replies);
            let label = match unit {
                Some(unit) => format!("{text} ({unit})"),
                None => text.to_owned(),
            };
            let variable = Variable {
                missing: missing(lang, false, codes),
                ..variable(names.claim(id), label, VariableKind::Number)
            };
            let fill = Fill::Number {
                q,
                not_asked: codes.0,
                no_answer: codes.1,
            };
            vec![Column { variable, fill }]
        }
        QuestionType::MultipleChoice { options, other, .. } => {
            let zero_one = yes_no(lang, "export.value.chosen", "export.value.not_chosen");
            let mut out: Vec<Column> = options
                .iter()
                .map(|o| Column {
                    variable: Variable {
                        values: zero_one.clone(),
                        missing: missing(lang, false, standard),
                        ..variable(
                            names.claim(&format!("{id}_{}", o.value)),
                            format!("{text} – {}", o.label),
                            VariableKind::ChoiceOption,
                        )
                    },
                    fill: Fill::Chosen {
                        q,
                        option: o.value.clone(),
                    },
                })
                .collect();
            if let Some(other) = other {
                let label = format!("{text} – {}", other.label);
                out.push(Column {
                    variable: Variable {
                        values: zero_one.clone(),
                        missing: missing(lang, false, standard),
                        ..variable(
                            names.claim(&format!("{id}_other")),
                            label.clone(),
                            VariableKind::ChoiceOther,
                        )
                    },
                    fill: Fill::Other { q },
                });
                out.push(Column {
                    variable: variable(
                        names.claim(&format!("{id}_other_text")),
                        format!("{label} ({})", t(lang, "export.variable.text")),
                        VariableKind::OtherText,
                    ),
                    fill: Fill::OtherText { q },
                });
            }
            out
        }
        QuestionType::OpenText { .. } => vec![Column {
            variable: variable(names.claim(id), text, VariableKind::OpenText),
            fill: Fill::Open { q },
        }],
    }
}

/// The (not asked, no answer) codes of a number question: -8 and -9 when its range
/// cannot hold them, otherwise far-off codes, moved further down while an answer
/// given equals one of them.
fn number_codes(
    min: Option<i64>,
    max: Option<i64>,
    q: usize,
    replies: &[Vec<Reply>],
) -> (i64, i64) {
    let holds = |code: i64| min.is_none_or(|m| m <= code) && max.is_none_or(|m| m >= code);
    if !holds(NOT_ASKED) && !holds(NO_ANSWER) {
        return (NOT_ASKED, NO_ANSWER);
    }
    let given: HashSet<i64> = replies
        .iter()
        .filter_map(|r| match r.get(q) {
            Some(Reply::Given(AnswerValue::Number(n))) => Some(*n),
            _ => None,
        })
        .collect();
    let (mut not_asked, mut no_answer) = (BIG_NOT_ASKED, BIG_NO_ANSWER);
    while given.contains(&not_asked) || given.contains(&no_answer) {
        not_asked -= 2;
        no_answer -= 2;
    }
    (not_asked, no_answer)
}
