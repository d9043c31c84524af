//! Results as respondents read them: figures formatted in the reader's language, small
//! groups as "minder dan 10", and each question's key result as a plain sentence
//! ("3 van de 4 mensen (76%) zegt: Ja."). Shared by the member page and the manager's
//! preview of it; the numbers come from `stats::public`, so hidden ones never get here.

use crate::i18n::{Lang, Texts};
use crate::stats::{
    Portion, Public, PublicCount, PublicFigures, PublicQuestion, WeightError, portion,
};

/// `v` with `places` decimals and the language's decimal sign.
pub fn decimal(lang: Lang, v: f64, places: usize) -> String {
    let text = format!("{v:.places$}");
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A count with its share of `base` to one decimal: "14 (58,3%)"; the bare count when
/// the base is empty.
pub fn count_of(lang: Lang, n: u64, base: u64) -> String {
    if base == 0 {
        return n.to_string();
    }
    format!(
        "{n} ({}%)",
        decimal(lang, n as f64 / base as f64 * 100.0, 1)
    )
}

/// What a grouping splits by, in words: the background question, or the way of
/// answering, or whether someone helped.
pub fn grouping_label(
    ctx: &Texts,
    panel: &crate::domain::panel::PanelDefinition,
    by: &crate::domain::grouping::GroupBy,
) -> String {
    use crate::domain::grouping::GroupBy;
    match by {
        GroupBy::Background(id) => panel
            .background_variables
            .iter()
            .find(|v| &v.id == id)
            .map_or_else(|| id.to_string(), |v| v.question.clone()),
        GroupBy::Mode => ctx.t("results.cross.by_mode").to_owned(),
        GroupBy::Proxy => ctx.t("results.cross.by_proxy").to_owned(),
    }
}

/// A share (0..1) as a whole percentage: "76%".
pub fn whole_percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// "minder dan 10".
pub fn less_than(ctx: &Texts, k: u32) -> String {
    ctx.tf1("results.member.less_than", "k", k)
}

/// Who, as a simple portion of the people: "3 van de 4 mensen", "De helft van de mensen".
pub fn who(ctx: &Texts, share: f64) -> String {
    match portion(share) {
        Portion::Nobody => ctx.t("results.fraction.none").to_owned(),
        Portion::Few => ctx.t("results.fraction.few").to_owned(),
        Portion::Fraction(1, 2) => ctx.t("results.fraction.half").to_owned(),
        Portion::Fraction(a, b) => ctx.tf2("results.fraction.some", "a", a, "b", b),
        Portion::AlmostAll => ctx.t("results.fraction.almost_all").to_owned(),
        Portion::Everyone => ctx.t("results.fraction.all").to_owned(),
    }
}

/// One line of a question's table.
pub struct MemberRow {
    pub label: String,
    pub count: String,
    pub percent: String,
}

/// One question on the member page: its key sentences and its table.
pub struct MemberQuestion {
    pub anchor: String,
    pub text: String,
    pub sentences: Vec<String>,
    pub rows: Vec<MemberRow>,
    /// Means, medians and quartiles as label and value.
    pub values: Vec<(String, String)>,
}

fn row(ctx: &Texts, k: u32, c: &PublicCount) -> MemberRow {
    MemberRow {
        label: c.label.clone(),
        count: c
            .n
            .shown()
            .map_or_else(|| less_than(ctx, k), |n| n.to_string()),
        percent: c
            .share
            .shown()
            .map_or_else(|| "–".to_owned(), whole_percent),
    }
}

/// A mean or median: its value, or that it rests on fewer than k people.
fn value(ctx: &Texts, k: u32, key: &str, v: Public<f64>) -> (String, String) {
    (
        ctx.t(key).to_owned(),
        v.shown().map_or_else(
            || ctx.tf1("results.member.fewer_people", "k", k),
            |v| decimal(ctx.lang, v, 1),
        ),
    )
}

/// The most chosen option that may be shown, as a sentence with `key`.
fn top_sentence(ctx: &Texts, options: &[PublicCount], key: &str) -> Option<String> {
    let (share, label) = options
        .iter()
        .filter_map(|c| Some((c.share.shown()?, &c.label)))
        .filter(|(share, _)| *share > 0.0)
        // The first of equals: the order of the questionnaire.
        .fold(
            None,
            |best: Option<(f64, &String)>, (share, label)| match best {
                Some((b, _)) if b >= share => best,
                _ => Some((share, label)),
            },
        )?;
    Some(ctx.tf(
        key,
        &[
            ("who", &who(ctx, share)),
            ("pct", &whole_percent(share)),
            ("label", label),
        ],
    ))
}

/// The question's key results in sentences, and its table.
pub fn member_question(ctx: &Texts, k: u32, q: &PublicQuestion) -> MemberQuestion {
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    let too_few = q.answered == Public::Hidden;
    match &q.figures {
        PublicFigures::Choice { options, dont_know } => {
            sentences.extend(top_sentence(ctx, options, "results.sentence.choice"));
            rows.extend(options.iter().map(|c| row(ctx, k, c)));
            if let Some(dk) = dont_know {
                let mut dk = row(ctx, k, dk);
                dk.label = ctx.t("results.member.dont_know").to_owned();
                rows.push(dk);
            }
        }
        PublicFigures::Multiple { options, other } => {
            sentences.extend(top_sentence(ctx, options, "results.sentence.multiple"));
            rows.extend(options.iter().chain(other).map(|c| row(ctx, k, c)));
        }
        PublicFigures::Grade {
            marks,
            mean,
            median,
            below_six,
        } => {
            if let Some(mean) = mean.shown() {
                let mean = decimal(ctx.lang, mean, 1);
                sentences.push(ctx.tf1("results.sentence.grade_mean", "mean", mean));
            }
            if let Some(share) = below_six.share.shown() {
                sentences.push(ctx.tf2(
                    "results.sentence.grade_low",
                    "who",
                    who(ctx, share),
                    "pct",
                    whole_percent(share),
                ));
            }
            rows.extend(marks.iter().map(|c| {
                let mut r = row(ctx, k, c);
                r.label = ctx.tf1("results.member.mark", "mark", &c.label);
                r
            }));
            let mut low = row(ctx, k, below_six);
            low.label = ctx.t("results.member.below_six").to_owned();
            rows.push(low);
            values.push(value(ctx, k, "results.member.mean_grade", *mean));
            values.push(value(ctx, k, "results.member.median", *median));
        }
        PublicFigures::Number {
            mean,
            median,
            q1,
            q3,
            unit,
        } => {
            if let Some(mean) = mean.shown() {
                let mean = decimal(ctx.lang, mean, 1);
                sentences.push(match unit {
                    Some(unit) => {
                        ctx.tf2("results.sentence.number_unit", "mean", mean, "unit", unit)
                    }
                    None => ctx.tf1("results.sentence.number", "mean", mean),
                });
            }
            values.push(value(ctx, k, "results.member.mean", *mean));
            values.push(value(ctx, k, "results.member.median", *median));
            values.push(value(ctx, k, "results.member.q1", *q1));
            values.push(value(ctx, k, "results.member.q3", *q3));
        }
    }
    if too_few {
        sentences = vec![ctx.t("results.sentence.too_few").to_owned()];
    } else if sentences.is_empty() {
        sentences.push(ctx.t("results.sentence.groups_small").to_owned());
    }
    MemberQuestion {
        anchor: format!("v-{}", q.id),
        text: q.text.clone(),
        sentences,
        rows,
        values,
    }
}

/// Text the manager wrote, as paragraphs (blank lines separate them).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Why raking did not work, for the manager (the page and the API).
pub fn weight_error(lang: Lang, e: &WeightError) -> String {
    let (variable, category, respondents) = match e {
        WeightError::EmptyCategory { variable, category } => {
            (variable.clone(), category.clone(), 0)
        }
        WeightError::UncoveredCategory {
            variable,
            category,
            respondents,
        } => (variable.clone(), category.clone(), *respondents),
        WeightError::NoTargets { variable } | WeightError::InvalidTargets { variable } => {
            (variable.clone(), String::new(), 0)
        }
        _ => (String::new(), String::new(), 0),
    };
    let category = if category == "?" {
        crate::i18n::t(lang, "results.cross.unknown").to_owned()
    } else {
        category
    };
    crate::i18n::tf(
        lang,
        e.i18n_key(),
        &[
            ("variable", &variable),
            ("category", &category),
            ("respondents", &respondents),
        ],
    )
}
