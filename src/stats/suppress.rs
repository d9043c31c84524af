//! What respondents and other outsiders may see: every count, percentage base and mean
//! based on fewer respondents than the panel's `min_cell_size` is hidden ("minder dan
//! 10"), with complementary suppression so a hidden count cannot be worked out from the
//! published total.
//!
//! Per distribution (the options of a question, with don't-know; a mark distribution; an
//! option of a multiple choice question against those who did not choose it; marks below
//! 6 against the others): a count of 1 to k - 1 is hidden; while only one count is
//! hidden, or the hidden counts together are fewer than k (their sum follows from the
//! total), the smallest shown count is hidden too. A count of 0 describes nobody and
//! stays shown, unless the whole base is below k: then everything is hidden, zeros too
//! (else "0 said no" would tell what the few said). Open answers are never public.

use super::summary::{Count, Figures, Moments, QuestionSummary, SurveySummary};

/// A figure outside the manager's own view: shown, or hidden because it rests on fewer
/// respondents than the panel's `min_cell_size`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Public<T> {
    Shown(T),
    Hidden,
}

impl<T: Copy> Public<T> {
    pub fn shown(&self) -> Option<T> {
        match self {
            Public::Shown(v) => Some(*v),
            Public::Hidden => None,
        }
    }

    fn when(show: bool, value: T) -> Self {
        if show {
            Public::Shown(value)
        } else {
            Public::Hidden
        }
    }
}

/// A count and its share, as outsiders see them.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicCount {
    pub label: String,
    pub n: Public<u64>,
    pub share: Public<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PublicFigures {
    Choice {
        options: Vec<PublicCount>,
        dont_know: Option<PublicCount>,
    },
    Multiple {
        options: Vec<PublicCount>,
        other: Option<PublicCount>,
    },
    Grade {
        marks: Vec<PublicCount>,
        mean: Public<f64>,
        median: Public<f64>,
        below_six: PublicCount,
    },
    Number {
        mean: Public<f64>,
        median: Public<f64>,
        q1: Public<f64>,
        q3: Public<f64>,
        unit: Option<String>,
    },
}

/// One question as outsiders see it.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicQuestion {
    pub id: String,
    pub text: String,
    pub appended: bool,
    /// The base of the shares: respondents who answered.
    pub answered: Public<u64>,
    pub figures: PublicFigures,
}

/// A survey's results as outsiders see them; open questions are left out.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicSurvey {
    pub respondents: Public<u64>,
    pub questions: Vec<PublicQuestion>,
}

/// Which counts of one distribution to hide (`true`), given that their total is
/// published. See the module documentation for the rule.
pub fn hidden_cells(counts: &[u64], min_cell_size: u64) -> Vec<bool> {
    let k = min_cell_size;
    let total: u64 = counts.iter().sum();
    if total < k {
        return vec![true; counts.len()];
    }
    let mut hidden: Vec<bool> = counts.iter().map(|&n| n > 0 && n < k).collect();
    loop {
        let (m, sum) = counts
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| **h)
            .fold((0usize, 0u64), |(m, s), (n, _)| (m + 1, s + n));
        if m == 0 || (m >= 2 && sum >= k) {
            break;
        }
        // The smallest shown count, a count of people before a zero.
        let next = (0..counts.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (counts[i] == 0, counts[i], i));
        match next {
            Some(i) => hidden[i] = true,
            None => break,
        }
    }
    hidden
}

fn public_counts(counts: &[&Count], base: u64, k: u64) -> Vec<PublicCount> {
    let ns: Vec<u64> = counts.iter().map(|c| c.n).collect();
    let hidden = hidden_cells(&ns, k);
    counts
        .iter()
        .zip(hidden)
        .map(|(c, hide)| {
            let show = !hide && base >= k;
            PublicCount {
                label: c.label.clone(),
                n: Public::when(show, c.n),
                share: Public::when(show && c.share.is_some(), c.share.unwrap_or(0.0)),
            }
        })
        .collect()
}

/// A count judged against those of the base outside it (chose / did not choose).
fn public_share(c: &Count, base: u64, k: u64) -> PublicCount {
    let rest = base.saturating_sub(c.n);
    let hidden = hidden_cells(&[c.n, rest], k);
    let show = !hidden[0] && base >= k;
    PublicCount {
        label: c.label.clone(),
        n: Public::when(show, c.n),
        share: Public::when(show && c.share.is_some(), c.share.unwrap_or(0.0)),
    }
}

fn public_moments(m: Option<&Moments>, k: u64) -> [Public<f64>; 4] {
    match m {
        Some(m) if m.n >= k => [
            Public::Shown(m.mean),
            Public::Shown(m.median),
            Public::Shown(m.q1),
            Public::Shown(m.q3),
        ],
        _ => [Public::Hidden; 4],
    }
}

/// One question for outsiders; `None` for open questions.
pub fn public_question(q: &QuestionSummary, min_cell_size: u32) -> Option<PublicQuestion> {
    let k = u64::from(min_cell_size);
    let base = q.answered;
    let figures = match &q.figures {
        Figures::Choice(c) => {
            let mut cells: Vec<&Count> = c.options.iter().collect();
            cells.extend(c.dont_know.as_ref());
            let mut shown = public_counts(&cells, base, k);
            let dont_know = c.dont_know.as_ref().and_then(|_| shown.pop());
            PublicFigures::Choice {
                options: shown,
                dont_know,
            }
        }
        Figures::Multiple(m) => PublicFigures::Multiple {
            options: m.options.iter().map(|c| public_share(c, base, k)).collect(),
            other: m.other.as_ref().map(|c| public_share(c, base, k)),
        },
        Figures::Grade(g) => {
            let marks: Vec<&Count> = g.marks.iter().collect();
            let [mean, median, _, _] = public_moments(g.moments.as_ref(), k);
            PublicFigures::Grade {
                marks: public_counts(&marks, base, k),
                mean,
                median,
                below_six: public_share(&g.below_six, base, k),
            }
        }
        Figures::Number(n) => {
            let [mean, median, q1, q3] = public_moments(n.moments.as_ref(), k);
            PublicFigures::Number {
                mean,
                median,
                q1,
                q3,
                unit: n.unit.clone(),
            }
        }
        Figures::Open(_) => return None,
    };
    Some(PublicQuestion {
        id: q.id.to_string(),
        text: q.text.clone(),
        appended: q.appended,
        answered: Public::when(base >= k, base),
        figures,
    })
}

/// The survey for outsiders.
pub fn public(summary: &SurveySummary, min_cell_size: u32) -> PublicSurvey {
    let k = u64::from(min_cell_size);
    PublicSurvey {
        respondents: Public::when(summary.respondents >= k, summary.respondents),
        questions: summary
            .questions
            .iter()
            .filter_map(|q| public_question(q, min_cell_size))
            .collect(),
    }
}
