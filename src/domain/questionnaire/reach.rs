//! Can a question ever be shown? Tries every relevant combination of answers to the
//! questions its condition depends on (directly or through their own conditions), using
//! the routing rules themselves. Gives up (and says "reachable") past a fixed budget.

use std::collections::{BTreeMap, BTreeSet};

use super::routing::{AnswerValue, ScaleAnswer, visible};
use super::{OptionValue, Question, QuestionType, ShowIf};

/// Most answer combinations tried per question before assuming it is reachable.
const BUDGET: usize = 20_000;
/// Most values per multiple choice question to combine (2^n subsets).
const MAX_SUBSET_VALUES: usize = 8;

/// `true` only when the question at `index` can never be shown, whatever the answers.
/// Conditions that refer to unknown or later questions must be reported by the caller,
/// which names those questions in `broken`: a question depending on one is not judged.
pub(super) fn never_shown(questions: &[Question], index: usize, broken: &BTreeSet<&str>) -> bool {
    let Some(target) = questions.get(index) else {
        return false;
    };
    if target.show_if.is_none() {
        return false;
    }
    let earlier = &questions[..index];
    let involved = dependencies(earlier, target);
    if involved.iter().any(|q| broken.contains(q.id.as_str())) {
        return false;
    }
    let mentioned = mentioned_values(involved.iter().copied().chain([target]));
    let mut domains = Vec::with_capacity(involved.len());
    let mut combinations = 1usize;
    for question in &involved {
        let Some(domain) = domain(question, mentioned.get(question.id.as_str())) else {
            return false;
        };
        combinations = combinations.saturating_mul(domain.len());
        if combinations > BUDGET {
            return false;
        }
        domains.push(domain);
    }
    let mut digits = vec![0usize; involved.len()];
    let mut answers = BTreeMap::<String, AnswerValue>::new();
    loop {
        answers.clear();
        for ((question, domain), &digit) in involved.iter().zip(&domains).zip(&digits) {
            if let Some(answer) = &domain[digit] {
                answers.insert(question.id.to_string(), answer.clone());
            }
        }
        let shown = visible(involved.iter().copied().chain([target]), &answers);
        let consistent = shown
            .iter()
            .all(|q| !q.required || answers.contains_key(q.id.as_str()) || q.id == target.id);
        if consistent && shown.last().is_some_and(|q| q.id == target.id) {
            return false;
        }
        // Next combination, mixed radix.
        let mut position = 0;
        loop {
            let Some(digit) = digits.get_mut(position) else {
                return true;
            };
            *digit += 1;
            if *digit < domains[position].len() {
                break;
            }
            *digit = 0;
            position += 1;
        }
    }
}

/// The earlier questions `target`'s condition depends on, transitively, in file order.
fn dependencies<'q>(earlier: &'q [Question], target: &Question) -> Vec<&'q Question> {
    let mut wanted = BTreeSet::new();
    let mut todo: Vec<&ShowIf> = target.show_if.iter().collect();
    while let Some(condition) = todo.pop() {
        for (id, _) in condition.references() {
            let found = earlier.iter().find(|q| &q.id == id);
            if let Some(question) = found
                && wanted.insert(question.id.as_str())
            {
                todo.extend(question.show_if.iter());
            }
        }
    }
    earlier
        .iter()
        .filter(|q| wanted.contains(q.id.as_str()))
        .collect()
}

/// Per question id, the option values any of these conditions mention.
fn mentioned_values<'q>(
    questions: impl Iterator<Item = &'q Question>,
) -> BTreeMap<&'q str, BTreeSet<&'q OptionValue>> {
    fn walk<'q>(condition: &'q ShowIf, out: &mut BTreeMap<&'q str, BTreeSet<&'q OptionValue>>) {
        match condition {
            ShowIf::Equals { question, value } => {
                out.entry(question.as_str()).or_default().insert(value);
            }
            ShowIf::In { question, values } => {
                out.entry(question.as_str()).or_default().extend(values);
            }
            ShowIf::Answered { .. } => {}
            ShowIf::All(parts) | ShowIf::Any(parts) => {
                for part in parts {
                    walk(part, out);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for question in questions {
        if let Some(condition) = &question.show_if {
            walk(condition, &mut out);
        }
    }
    out
}

/// The distinct answers worth trying for `question` (`None` = unanswered), or `None` when
/// there are too many to try.
fn domain(
    question: &Question,
    mentioned: Option<&BTreeSet<&OptionValue>>,
) -> Option<Vec<Option<AnswerValue>>> {
    let mut out = vec![None];
    let options = question.kind.options();
    // The mentioned values that exist, plus one value standing for "any other option".
    let mut values: Vec<&OptionValue> = options
        .iter()
        .map(|o| &o.value)
        .filter(|v| mentioned.is_some_and(|m| m.contains(v)))
        .collect();
    if let Some(other) = options.iter().find(|o| !values.contains(&&o.value)) {
        values.push(&other.value);
    }
    match &question.kind {
        QuestionType::SingleChoice { .. } => {
            out.extend(
                values
                    .into_iter()
                    .map(|v| Some(AnswerValue::Choice(v.clone()))),
            );
        }
        QuestionType::MultipleChoice {
            options,
            max_choices,
            other,
        } => {
            if values.len() > MAX_SUBSET_VALUES {
                return None;
            }
            let exclusive = |v: &OptionValue| options.iter().any(|o| &o.value == v && o.exclusive);
            let limit = max_choices.map_or(usize::MAX, |m| m as usize);
            for mask in 1u32..(1 << values.len()) {
                let chosen: Vec<OptionValue> = (0..values.len())
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| values[i].clone())
                    .collect();
                if chosen.len() > limit || (chosen.len() > 1 && chosen.iter().any(exclusive)) {
                    continue;
                }
                out.push(Some(AnswerValue::Choices {
                    values: chosen,
                    other: None,
                }));
            }
            if other.is_some() {
                out.push(Some(AnswerValue::Choices {
                    values: vec![],
                    other: Some("anders".to_owned()),
                }));
            }
        }
        QuestionType::Grade { min, .. } => out.push(Some(AnswerValue::Grade(*min))),
        QuestionType::Scale { .. } => out.push(Some(AnswerValue::Scale(ScaleAnswer::Point(1)))),
        QuestionType::Number { min, .. } => out.push(Some(AnswerValue::Number(min.unwrap_or(0)))),
        QuestionType::OpenText { .. } => out.push(Some(AnswerValue::Text("antwoord".to_owned()))),
    }
    Some(out)
}
