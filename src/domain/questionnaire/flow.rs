//! The way through a questionnaire as a member gets it: the file's questions, then the
//! appended ones, with routing applied to the answers so far. Drives next and back, "Vraag
//! 3 van 8", the check page and [`Flow::record`], for web pages, phone script and paper.
//!
//! Visibility is always `routing::visible`, never re-implemented here: a question's
//! `show_if` sees only answers to earlier questions that are themselves shown.
//!
//! A question tied to a background variable (`profile`) whose answer the member's profile
//! holds is shown but never asked ([`Flow::with_profile`]): [`Flow::settle`] gives it the
//! profile's answer, so routing and results see it like any other answer, while next,
//! back and "Vraag 3 van 8" pass it by.

use std::collections::{BTreeMap, BTreeSet};

use super::answer::{AnswerError, AnswerInput, parse_answer};
use super::routing::{self, AnswerLookup, AnswerValue};
use super::{Question, QuestionId, Questionnaire};
use crate::domain::ids::{CategoryValue, VariableId};
use crate::i18n::{Lang, t, tf};

/// A member's answers so far, by question.
pub type Answers = BTreeMap<QuestionId, AnswerValue>;

/// The questions a member can be asked, in order; which of them are shown depends on the
/// answers passed to each method.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    questions: Vec<Question>,
    /// Answers the member's profile already gives, by question: these are not asked.
    from_profile: Answers,
}

/// Why [`Flow::record`] refused an answer. The stored answers are left as they were.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// No question with this id (a forged or outdated form).
    #[error("no question with this id")]
    UnknownQuestion,
    /// The question is hidden by the answers so far: the form was forged, or is stale
    /// (the member went back and changed an earlier answer in another tab).
    #[error("the question is not shown for these answers")]
    Hidden,
    #[error(transparent)]
    Invalid(#[from] AnswerError),
}

impl RecordError {
    /// The language-file key of the message.
    pub fn i18n_key(&self) -> &'static str {
        match self {
            RecordError::UnknownQuestion => "answer.error.unknown_question",
            RecordError::Hidden => "answer.error.hidden",
            RecordError::Invalid(e) => e.i18n_key(),
        }
    }

    /// The message for the member.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            RecordError::Invalid(e) => e.message(lang),
            other => t(lang, other.i18n_key()).to_owned(),
        }
    }
}

impl Flow {
    /// The questionnaire's questions followed by its appended ones in `lang`.
    pub fn new(questionnaire: &Questionnaire, lang: Lang) -> Self {
        Self {
            questions: questionnaire.with_appendix(lang),
            from_profile: Answers::new(),
        }
    }

    /// Whether some question is tied to a background variable, so the member's profile
    /// matters (and is worth reading).
    pub fn uses_profile(&self) -> bool {
        self.questions.iter().any(|q| q.kind.profile().is_some())
    }

    /// The flow for a member with this background: a question tied to a variable the
    /// profile holds, with a value that is one of the question's options, is not asked;
    /// its answer is the profile's. Without the value it is asked as usual. Pilots and
    /// paper entry use [`Flow::new`] alone, so they ask every question.
    pub fn with_profile(mut self, background: &BTreeMap<VariableId, CategoryValue>) -> Self {
        self.from_profile = self
            .questions
            .iter()
            .filter_map(|q| {
                let value = background.get(q.kind.profile()?.as_str())?;
                let option = q
                    .kind
                    .options()
                    .iter()
                    .find(|o| o.value.as_str() == value.as_str())?;
                Some((q.id.clone(), AnswerValue::Choice(option.value.clone())))
            })
            .collect();
        self
    }

    /// Whether the answer to `id` comes from the member's profile: the question is never
    /// asked.
    pub fn from_profile(&self, id: &str) -> bool {
        self.from_profile.contains_key(id)
    }

    /// Every question, shown or not, in order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The question with this id, shown or not.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id.as_str() == id)
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id.as_str() == id)
    }

    /// The questions shown for these answers, in order.
    pub fn visible(&self, answers: &impl AnswerLookup) -> Vec<&Question> {
        routing::visible(&self.questions, answers)
    }

    /// The questions put to the member for these answers, in order: those shown, except
    /// the ones answered from the profile.
    pub fn asked(&self, answers: &impl AnswerLookup) -> Vec<&Question> {
        self.visible(answers)
            .into_iter()
            .filter(|q| !self.from_profile(q.id.as_str()))
            .collect()
    }

    /// Indices into `questions` of the questions asked, in order.
    fn asked_indices(&self, answers: &impl AnswerLookup) -> Vec<usize> {
        self.visible_indices(answers)
            .into_iter()
            .filter(|i| !self.from_profile(self.questions[*i].id.as_str()))
            .collect()
    }

    /// Indices into `questions` of the visible questions, in order.
    fn visible_indices(&self, answers: &impl AnswerLookup) -> Vec<usize> {
        let mut shown = self.visible(answers).into_iter().peekable();
        let mut out = Vec::new();
        // `routing::visible` keeps order and returns references into `questions`.
        for (i, question) in self.questions.iter().enumerate() {
            if shown.next_if(|s| std::ptr::eq(*s, question)).is_some() {
                out.push(i);
            }
        }
        out
    }

    /// The first question asked; `None` only when there is nothing to ask.
    pub fn first(&self, answers: &impl AnswerLookup) -> Option<&Question> {
        self.asked(answers).into_iter().next()
    }

    /// The next question asked after `id` (which may itself be hidden now); `None` after
    /// the last one (go to the check page) or for an unknown id.
    pub fn next_after(&self, id: &str, answers: &impl AnswerLookup) -> Option<&Question> {
        let at = self.index(id)?;
        let next = self.asked_indices(answers).into_iter().find(|i| *i > at)?;
        Some(&self.questions[next])
    }

    /// The question asked before `id`; `None` before the first one or for an unknown id.
    pub fn previous_before(&self, id: &str, answers: &impl AnswerLookup) -> Option<&Question> {
        let at = self.index(id)?;
        let previous = self.asked_indices(answers).into_iter().rfind(|i| *i < at)?;
        Some(&self.questions[previous])
    }

    /// `(n, total)` for "Vraag n van total": `n` counts from 1 among the questions asked
    /// now; `total` also counts the questions that may still come, depending on answers
    /// not given yet, so the total only goes down as the member answers (never up).
    /// Questions answered from the profile count in neither. `None` when `id` is hidden,
    /// answered from the profile, or unknown.
    pub fn position(&self, id: &str, answers: &impl AnswerLookup) -> Option<(usize, usize)> {
        let at = self.index(id)?;
        let n = self.asked_indices(answers).iter().position(|i| *i == at)?;
        Some((n + 1, self.possible_count(answers)))
    }

    /// Questions asked now plus those whose condition still depends on a question that
    /// may be shown and has no answer yet.
    fn possible_count(&self, answers: &impl AnswerLookup) -> usize {
        let shown = self.visible_indices(answers);
        let mut possible: BTreeSet<&str> = BTreeSet::new();
        for (i, q) in self.questions.iter().enumerate() {
            let counts = shown.contains(&i)
                || q.show_if.as_ref().is_some_and(|cond| {
                    cond.references().iter().any(|(dep, _)| {
                        possible.contains(dep.as_str()) && answers.answer(dep.as_str()).is_none()
                    })
                });
            if counts {
                possible.insert(q.id.as_str());
            }
        }
        possible.iter().filter(|id| !self.from_profile(id)).count()
    }

    /// "Vraag 3 van 8" for `id`; `None` when it is hidden or unknown.
    pub fn progress(&self, id: &str, answers: &impl AnswerLookup, lang: Lang) -> Option<String> {
        let (n, total) = self.position(id, answers)?;
        Some(tf(lang, "answer.progress", &[("n", &n), ("total", &total)]))
    }

    /// The first shown required question without an answer: where "send" takes the
    /// member instead of sending.
    pub fn first_unanswered_required(&self, answers: &impl AnswerLookup) -> Option<&Question> {
        self.visible(answers).into_iter().find(|q| {
            q.required
                && !answers
                    .answer(q.id.as_str())
                    .is_some_and(AnswerValue::is_given)
        })
    }

    /// Whether every shown required question is answered.
    pub fn is_complete(&self, answers: &impl AnswerLookup) -> bool {
        self.first_unanswered_required(answers).is_none()
    }

    /// Whether an answer to `id` may be stored now: the question exists, is shown, and
    /// is not answered from the profile.
    pub fn accepts(&self, id: &str, answers: &impl AnswerLookup) -> bool {
        !self.from_profile(id) && self.visible(answers).iter().any(|q| q.id.as_str() == id)
    }

    /// Remove the answers to questions that are not shown (any more), as after a member
    /// changed an earlier answer, or that are not in the flow at all. Returns the removed
    /// ids in question order, unknown ones last. What is shown does not change.
    pub fn prune(&self, answers: &mut Answers) -> Vec<QuestionId> {
        let shown: BTreeSet<&str> = self
            .visible(&*answers)
            .into_iter()
            .map(|q| q.id.as_str())
            .collect();
        let mut removed: Vec<QuestionId> = answers
            .keys()
            .filter(|id| !shown.contains(id.as_str()))
            .cloned()
            .collect();
        removed.sort_by_key(|id| self.index(id.as_str()).unwrap_or(usize::MAX));
        for id in &removed {
            answers.remove(id);
        }
        removed
    }

    /// Bring `answers` in line with the routing and the profile: each shown question
    /// answered from the profile gets the profile's answer, and answers to questions not
    /// shown (any more) go. Returns the ids whose answer changed or went, in question
    /// order; empty when the answers were settled already.
    pub fn settle(&self, answers: &mut Answers) -> Vec<QuestionId> {
        let before = answers.clone();
        // Whether a question is shown depends only on the answers before it, so setting
        // the profile's answers in question order settles each one for good.
        for question in &self.questions {
            let Some(known) = self.from_profile.get(&question.id) else {
                continue;
            };
            let shown = self.visible(&*answers).iter().any(|q| q.id == question.id);
            if shown {
                answers.insert(question.id.clone(), known.clone());
            } else {
                answers.remove(&question.id);
            }
        }
        self.prune(answers);
        let mut changed: Vec<QuestionId> = before
            .keys()
            .chain(answers.keys())
            .filter(|id| before.get(*id) != answers.get(*id))
            .cloned()
            .collect();
        changed.sort_by_key(|id| (self.index(id.as_str()).unwrap_or(usize::MAX), id.clone()));
        changed.dedup();
        changed
    }

    /// Store the answer submitted for `id`: checked against the question and the routing,
    /// then stored (or removed, when left empty), and the other answers settled (see
    /// [`Flow::settle`]); returns the ids of those that changed. On error `answers` is
    /// unchanged. Submitting the same input twice (a double submit) gives the same
    /// answers.
    pub fn record(
        &self,
        id: &str,
        input: &AnswerInput,
        answers: &mut Answers,
    ) -> Result<Vec<QuestionId>, RecordError> {
        let question = self.question(id).ok_or(RecordError::UnknownQuestion)?;
        if !self.accepts(id, answers) {
            return Err(RecordError::Hidden);
        }
        match parse_answer(question, input)? {
            Some(value) => answers.insert(question.id.clone(), value),
            None => answers.remove(id),
        };
        Ok(self.settle(answers))
    }
}
