//! A questionnaire on paper: routing written out in words ("Alleen invullen als u bij
//! vraag 1 'Ja' koos."), with questions numbered as printed (every question, 1, 2, 3 …).

use super::{OptionValue, Question, QuestionId, ShowIf};
use crate::i18n::{Lang, t, tf};

/// One line of a condition in words. The parts of an `all` or `any` come on their own
/// lines, one level deeper than the line that introduces them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionLine {
    pub depth: usize,
    pub text: String,
}

/// When to fill in a question, in words. Questions are numbered by their place in
/// `questions` (from 1), as on paper.
pub fn condition_in_words(
    condition: &ShowIf,
    questions: &[Question],
    lang: Lang,
) -> Vec<ConditionLine> {
    let mut out = Vec::new();
    describe(condition, questions, lang, 0, &mut out);
    out
}

/// The printed number of question `id`; its id when it is not in `questions` (a file
/// that passed validation never refers to a question that is not there).
fn number(questions: &[Question], id: &QuestionId) -> String {
    questions
        .iter()
        .position(|q| q.id == *id)
        .map_or_else(|| id.to_string(), |i| (i + 1).to_string())
}

/// An answer as printed, between quotes: the label of the option with this value.
fn quoted(questions: &[Question], id: &QuestionId, value: &OptionValue) -> String {
    let label = questions
        .iter()
        .find(|q| q.id == *id)
        .and_then(|q| q.kind.options().iter().find(|o| o.value == *value))
        .map_or_else(|| value.to_string(), |o| o.label.clone());
    format!("'{label}'")
}

/// "'A'", "'A' of 'B'", "'A', 'B' of 'C'".
fn one_of(answers: Vec<String>, lang: Lang) -> String {
    match answers.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), t(lang, "paper.routing.or")),
    }
}

fn describe(
    condition: &ShowIf,
    questions: &[Question],
    lang: Lang,
    depth: usize,
    out: &mut Vec<ConditionLine>,
) {
    // The first line says when to fill in the question; deeper lines are statements.
    let style = if depth == 0 {
        "paper.routing"
    } else {
        "paper.routing.part"
    };
    let key = |name: &str| format!("{style}.{name}");
    let text = match condition {
        ShowIf::Equals { question, value } => tf(
            lang,
            &key("equals"),
            &[
                ("n", &number(questions, question)),
                ("answer", &quoted(questions, question, value)),
            ],
        ),
        ShowIf::In { question, values } => {
            let answers = values
                .iter()
                .map(|v| quoted(questions, question, v))
                .collect();
            tf(
                lang,
                &key("equals"),
                &[
                    ("n", &number(questions, question)),
                    ("answer", &one_of(answers, lang)),
                ],
            )
        }
        ShowIf::Answered { question, answered } => tf(
            lang,
            &key(if *answered {
                "answered"
            } else {
                "not_answered"
            }),
            &[("n", &number(questions, question))],
        ),
        ShowIf::All(parts) | ShowIf::Any(parts) => {
            let name = if matches!(condition, ShowIf::All(_)) {
                "all"
            } else {
                "any"
            };
            out.push(ConditionLine {
                depth,
                text: t(lang, &key(name)).to_owned(),
            });
            for part in parts {
                describe(part, questions, lang, depth + 1, out);
            }
            return;
        }
    };
    out.push(ConditionLine { depth, text });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<Question> {
        serde_json::from_str(
            r#"[{"id":"werk","type":"single_choice","text":"Werkt u?","options":[
                  {"value":"ja","label":"Ja"},{"value":"soms","label":"Soms"},{"value":"nee","label":"Nee"}]},
                {"id":"uitleg","type":"open_text","text":"Waarom?"},
                {"id":"steun","type":"multiple_choice","text":"Welke steun?","options":[
                  {"value":"coach","label":"Een jobcoach"},{"value":"uren","label":"Minder uren"}]}]"#,
        )
        .unwrap()
    }

    fn words(json: &str, lang: Lang) -> Vec<(usize, String)> {
        let condition: ShowIf = serde_json::from_str(json).unwrap();
        condition_in_words(&condition, &questions(), lang)
            .into_iter()
            .map(|l| (l.depth, l.text))
            .collect()
    }

    #[test]
    fn a_simple_condition_is_one_sentence_with_the_number_and_the_label() {
        assert_eq!(
            words(r#"{"question":"werk","equals":"ja"}"#, Lang::Nl),
            [(0, "Alleen invullen als u bij vraag 1 'Ja' koos.".to_owned())]
        );
        assert_eq!(
            words(r#"{"question":"werk","in":["ja","soms","nee"]}"#, Lang::Nl),
            [(
                0,
                "Alleen invullen als u bij vraag 1 'Ja', 'Soms' of 'Nee' koos.".to_owned()
            )]
        );
        assert_eq!(
            words(r#"{"question":"uitleg","answered":false}"#, Lang::Nl),
            [(0, "Alleen invullen als u vraag 2 leeg liet.".to_owned())]
        );
        assert_eq!(
            words(r#"{"question":"werk","equals":"ja"}"#, Lang::En),
            [(
                0,
                "Only fill this in if you chose 'Ja' at question 1.".to_owned()
            )]
        );
    }

    #[test]
    fn all_and_any_list_their_parts_one_level_deeper() {
        let lines = words(
            r#"{"all":[{"question":"werk","in":["ja","soms"]},
                       {"any":[{"question":"steun","equals":"coach"},{"question":"uitleg","answered":true}]}]}"#,
            Lang::Nl,
        );
        assert_eq!(
            lines,
            [
                (0, "Alleen invullen als dit allemaal klopt:".to_owned()),
                (1, "U koos bij vraag 1 'Ja' of 'Soms'.".to_owned()),
                (1, "Een of meer van deze dingen kloppen:".to_owned()),
                (2, "U koos bij vraag 3 'Een jobcoach'.".to_owned()),
                (2, "U vulde vraag 2 in.".to_owned()),
            ]
        );
    }

    #[test]
    fn every_sentence_passes_the_plain_language_check() {
        let lines = words(
            r#"{"any":[{"question":"werk","equals":"ja"},{"question":"uitleg","answered":true},
                       {"all":[{"question":"uitleg","answered":false},{"question":"werk","in":["ja","nee"]}]}]}"#,
            Lang::Nl,
        );
        for (_, text) in lines {
            let report = crate::domain::plain_language::check_text(&text);
            assert_eq!(
                report.count(crate::domain::plain_language::Severity::Problem),
                0,
                "{text}: {report:?}"
            );
        }
    }
}
