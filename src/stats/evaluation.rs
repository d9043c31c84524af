//! The process evaluation: the answers to klankbord's own evaluation questions (clear?
//! too long? a mark, results wanted? join again?) per survey and per quarter, as counts
//! and shares of the finished responses that answered. No SQL and no HTTP.
//!
//! These figures are for the manager's own view: no cell is hidden, and every row says
//! its base (how many answered the question).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};

use crate::domain::fieldwork::ZONE;
use crate::domain::questionnaire::{AnswerValue, Question, QuestionId, QuestionType};

/// A survey with evaluation answers, dated by its closing.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyRef {
    pub id: i64,
    pub title: String,
    pub date: DateTime<Utc>,
}

/// How many finished responses to a survey gave this answer to an evaluation question.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationAnswer {
    pub survey_id: i64,
    pub question: QuestionId,
    pub value: AnswerValue,
    pub count: u64,
}

/// A calendar quarter on Dutch clocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl Quarter {
    pub fn of(at: DateTime<Utc>) -> Quarter {
        let local = at.with_timezone(&ZONE);
        Quarter {
            year: local.year(),
            quarter: (local.month() - 1) / 3 + 1,
        }
    }
}

/// What a row of a table covers.
#[derive(Clone, Debug, PartialEq)]
pub enum Period {
    Survey(SurveyRef),
    Quarter(Quarter),
}

/// The answers to one question in one survey or quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationRow {
    pub period: Period,
    /// How many answered: the base of the shares.
    pub base: u64,
    /// Per option of a choice question, in the question's order; empty for the mark.
    pub counts: Vec<u64>,
    /// `counts` over `base`, 0..1; `None` without a base.
    pub shares: Vec<Option<f64>>,
    /// The average mark (the mark question only).
    pub mean: Option<f64>,
}

/// One evaluation question: a row per survey and a row per quarter, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct EvaluationTable {
    pub question: QuestionId,
    pub text: String,
    /// `(value, label)` per option; empty for the mark.
    pub options: Vec<(String, String)>,
    pub per_survey: Vec<EvaluationRow>,
    pub per_quarter: Vec<EvaluationRow>,
}

#[derive(Default)]
struct Tally {
    counts: Vec<u64>,
    base: u64,
    marks: u64,
}

impl Tally {
    fn add(&mut self, options: &[(String, String)], value: &AnswerValue, count: u64) {
        match value {
            AnswerValue::Choice(v) => {
                if let Some(i) = options.iter().position(|(o, _)| o == v.as_str()) {
                    self.counts.resize(options.len(), 0);
                    self.counts[i] += count;
                    self.base += count;
                }
            }
            AnswerValue::Grade(g) if options.is_empty() => {
                self.marks += u64::from(*g) * count;
                self.base += count;
            }
            _ => {}
        }
    }

    fn row(&self, period: Period, options: &[(String, String)]) -> EvaluationRow {
        let mut counts = self.counts.clone();
        counts.resize(options.len(), 0);
        let shares = counts
            .iter()
            .map(|&c| (self.base > 0).then(|| c as f64 / self.base as f64))
            .collect();
        EvaluationRow {
            period,
            base: self.base,
            counts,
            shares,
            mean: (options.is_empty() && self.base > 0)
                .then(|| self.marks as f64 / self.base as f64),
        }
    }
}

/// The tables, one per question in `questions` (the evaluation questions in the reader's
/// language). Surveys without any evaluation answer are left out; answers to other
/// questions or with unknown values are ignored.
pub fn evaluation(
    questions: &[Question],
    surveys: &[SurveyRef],
    answers: &[EvaluationAnswer],
) -> Vec<EvaluationTable> {
    let mut surveys: Vec<&SurveyRef> = surveys.iter().collect();
    surveys.sort_by_key(|s| (s.date, s.id));
    let answered: std::collections::BTreeSet<i64> = answers.iter().map(|a| a.survey_id).collect();
    surveys.retain(|s| answered.contains(&s.id));
    questions
        .iter()
        .map(|q| {
            let options: Vec<(String, String)> = match &q.kind {
                QuestionType::SingleChoice { options, .. } => options
                    .iter()
                    .map(|o| (o.value.to_string(), o.label.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            let mut by_survey: BTreeMap<i64, Tally> = BTreeMap::new();
            for a in answers.iter().filter(|a| a.question == q.id) {
                by_survey
                    .entry(a.survey_id)
                    .or_default()
                    .add(&options, &a.value, a.count);
            }
            let mut by_quarter: BTreeMap<Quarter, Tally> = BTreeMap::new();
            let per_survey = surveys
                .iter()
                .map(|s| {
                    let tally = by_survey.remove(&s.id).unwrap_or_default();
                    let quarter = by_quarter.entry(Quarter::of(s.date)).or_default();
                    quarter.base += tally.base;
                    quarter.marks += tally.marks;
                    quarter.counts.resize(options.len(), 0);
                    for (i, c) in tally.counts.iter().enumerate() {
                        quarter.counts[i] += c;
                    }
                    tally.row(Period::Survey((*s).clone()), &options)
                })
                .collect();
            let per_quarter = by_quarter
                .iter()
                .map(|(quarter, tally)| tally.row(Period::Quarter(*quarter), &options))
                .collect();
            EvaluationTable {
                question: q.id.clone(),
                text: q.text.clone(),
                options,
                per_survey,
                per_quarter,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::OptionValue;
    use crate::domain::questionnaire::appendix::evaluation_questions;
    use crate::i18n::Lang;
    use chrono::TimeZone;

    fn answer(survey_id: i64, question: &str, value: AnswerValue) -> EvaluationAnswer {
        EvaluationAnswer {
            survey_id,
            question: QuestionId::parse(question).unwrap(),
            value,
            count: 1,
        }
    }

    fn choice(v: &str) -> AnswerValue {
        AnswerValue::Choice(OptionValue::parse(v).unwrap())
    }

    fn survey(id: i64, title: &str, y: i32, m: u32) -> SurveyRef {
        SurveyRef {
            id,
            title: title.to_owned(),
            date: Utc.with_ymd_and_hms(y, m, 10, 12, 0, 0).unwrap(),
        }
    }

    #[test]
    fn shares_per_survey_and_quarter() {
        let questions = evaluation_questions(Lang::Nl);
        let surveys = vec![
            survey(2, "Zomer", 2026, 8),
            survey(1, "Voorjaar", 2026, 4),
            survey(3, "Juli", 2026, 7),
            survey(4, "Zonder evaluatie", 2026, 9),
        ];
        let answers = vec![
            EvaluationAnswer {
                count: 3,
                ..answer(1, "_eval_length", choice("goed"))
            },
            answer(1, "_eval_length", choice("te_lang")),
            answer(2, "_eval_length", choice("te_lang")),
            answer(3, "_eval_length", choice("goed")),
            answer(3, "_eval_length", choice("onbekend")),
            answer(1, "_eval_answering", AnswerValue::Grade(7)),
            answer(1, "_eval_answering", AnswerValue::Grade(8)),
            answer(2, "_eval_answering", AnswerValue::Grade(6)),
        ];
        let tables = evaluation(&questions, &surveys, &answers);
        assert_eq!(tables.len(), 5);
        let length = &tables[1];
        assert_eq!(length.question.as_str(), "_eval_length");
        assert_eq!(
            length.options[2],
            ("te_lang".to_owned(), "Te lang".to_owned())
        );
        // Oldest first; the survey without answers is left out.
        let titles: Vec<_> = length
            .per_survey
            .iter()
            .map(|r| match &r.period {
                Period::Survey(s) => s.title.as_str(),
                Period::Quarter(_) => "",
            })
            .collect();
        assert_eq!(titles, ["Voorjaar", "Juli", "Zomer"]);
        let spring = &length.per_survey[0];
        assert_eq!((spring.base, spring.counts.clone()), (4, vec![0, 3, 1]));
        assert_eq!(spring.shares, vec![Some(0.0), Some(0.75), Some(0.25)]);
        // Quarter 2 holds the spring survey; quarter 3 July and summer (an unknown value
        // is not counted).
        assert_eq!(length.per_quarter.len(), 2);
        let q3 = &length.per_quarter[1];
        assert_eq!(
            q3.period,
            Period::Quarter(Quarter {
                year: 2026,
                quarter: 3
            })
        );
        assert_eq!((q3.base, q3.counts.clone()), (2, vec![0, 1, 1]));
        let mark = &tables[2];
        assert!(mark.options.is_empty());
        assert_eq!(mark.per_survey[0].mean, Some(7.5));
        assert_eq!(mark.per_survey[1].base, 0);
        assert_eq!(mark.per_survey[1].mean, None);
        assert_eq!(mark.per_quarter[1].mean, Some(6.0));
        assert_eq!(tables[0].per_survey[0].shares, vec![None, None, None]);
    }

    #[test]
    fn quarters_follow_dutch_clocks() {
        let new_year = Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(
            Quarter::of(new_year),
            Quarter {
                year: 2026,
                quarter: 1
            }
        );
    }
}
