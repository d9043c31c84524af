//! The headline figures the results benchmark compares between klankbord and pandas:
//! weighted and unweighted shares, means and quartiles, crosstab cells and how many
//! figures the public view hides, by the same names as `results_pandas.py` gives them.

use klankbord::stats::{
    Crosstab, Figures, Public, PublicCrosstab, PublicFigures, PublicSurvey, SurveySummary, Weights,
};
use serde_json::Value;

/// What the results page has once the figures are computed.
pub struct Results {
    pub summary: SurveySummary,
    pub crosstabs: Vec<Crosstab>,
    pub weights: Weights,
    pub public: PublicSurvey,
    pub public_crosstabs: Vec<PublicCrosstab>,
}

/// Headline figures both sides compute: key and value.
pub fn checks(r: &Results, cross_by: &[&str]) -> Vec<(String, f64)> {
    let mut out = vec![(
        "design effect of the weights".to_owned(),
        r.weights.design_effect,
    )];
    let question = |id: &str| {
        r.summary
            .questions
            .iter()
            .find(|q| q.id.as_str() == id)
            .expect("question")
    };
    if let Figures::Choice(c) = &question("werk_nu").figures {
        let ja = &c.options[0];
        out.push(("werk_nu = ja: respondents".to_owned(), ja.n as f64));
        out.push((
            "werk_nu = ja: weighted %".to_owned(),
            100.0 * ja.weighted.map_or(f64::NAN, |w| w.share),
        ));
    }
    if let Figures::Choice(c) = &question("eens_zeker").figures {
        let dk = c.dont_know.as_ref().and_then(|d| d.weighted);
        out.push((
            "eens_zeker weet ik niet: weighted %".to_owned(),
            100.0 * dk.map_or(f64::NAN, |w| w.share),
        ));
    }
    if let Figures::Multiple(m) = &question("steun_helpt").figures {
        let jobcoach = m.options[2].weighted;
        out.push((
            "steun_helpt jobcoach: weighted %".to_owned(),
            100.0 * jobcoach.map_or(f64::NAN, |w| w.share),
        ));
    }
    if let Figures::Grade(g) = &question("cijfer_leven").figures {
        let m = g.moments.as_ref();
        out.push((
            "cijfer_leven: weighted mean".to_owned(),
            m.and_then(|m| m.weighted).map_or(f64::NAN, |w| w.mean),
        ));
        out.push((
            "cijfer_leven: below 6, weighted %".to_owned(),
            100.0 * g.below_six.weighted.map_or(f64::NAN, |w| w.share),
        ));
    }
    if let Figures::Number(n) = &question("uren_week").figures {
        let m = n.moments.as_ref();
        out.push(("uren_week: q1".to_owned(), m.map_or(f64::NAN, |m| m.q1)));
        out.push((
            "uren_week: sd".to_owned(),
            m.and_then(|m| m.sd).unwrap_or(f64::NAN),
        ));
    }
    // Crosstab by situatie (the second): "eens" on eens_zeker among dagbesteding.
    let situatie = &r.crosstabs[1];
    let eens = situatie
        .questions
        .iter()
        .find(|q| q.id.as_str() == "eens_zeker")
        .expect("eens_zeker");
    out.push((
        "crosstab situatie: dagbesteding, eens_zeker = 4".to_owned(),
        eens.rows[3].counts[1] as f64,
    ));
    let leeftijd = &r.crosstabs[0];
    let ql = leeftijd
        .questions
        .iter()
        .find(|q| q.id.as_str() == "cijfer_leven")
        .expect("cijfer_leven");
    let mean = ql
        .means
        .as_ref()
        .and_then(|m| m[2])
        .map_or(f64::NAN, |m| m.1);
    out.push(("crosstab leeftijd: 55+, cijfer_leven mean".to_owned(), mean));
    let (shown, hidden) = public_counts(&r.public);
    out.push(("public summary: counts shown".to_owned(), shown as f64));
    out.push(("public summary: counts hidden".to_owned(), hidden as f64));
    for (name, tab) in cross_by.iter().zip(&r.public_crosstabs) {
        out.push((
            format!("public crosstab {name}: cells hidden"),
            hidden_cells(tab) as f64,
        ));
    }
    out
}

/// Counts (with their shares) shown and hidden in the public summary.
fn public_counts(p: &PublicSurvey) -> (usize, usize) {
    let mut ns = Vec::new();
    for q in &p.questions {
        match &q.figures {
            PublicFigures::Choice { options, dont_know } => {
                ns.extend(options.iter().chain(dont_know).map(|c| c.n));
            }
            PublicFigures::Multiple { options, other } => {
                ns.extend(options.iter().chain(other).map(|c| c.n));
            }
            PublicFigures::Grade {
                marks, below_six, ..
            } => ns.extend(marks.iter().chain([below_six]).map(|c| c.n)),
            PublicFigures::Number { .. } => {}
        }
    }
    let hidden = ns.iter().filter(|n| matches!(n, Public::Hidden)).count();
    (ns.len() - hidden, hidden)
}

/// Cells, bases and means hidden in a public crosstab.
fn hidden_cells(tab: &PublicCrosstab) -> usize {
    tab.questions
        .iter()
        .map(|q| {
            let cells: usize = q
                .rows
                .iter()
                .map(|r| {
                    r.cells
                        .iter()
                        .filter(|c| matches!(c, Public::Hidden))
                        .count()
                })
                .sum();
            let bases = q
                .bases
                .iter()
                .filter(|b| matches!(b, Public::Hidden))
                .count();
            let means = q
                .means
                .iter()
                .flatten()
                .filter(|m| matches!(m, Public::Hidden))
                .count();
            cells + bases + means
        })
        .sum()
}

/// Print both sides' figures and whether they agree (to 1e-9, relative).
pub fn compare(ours: &[(String, f64)], theirs: &Value) {
    println!("  check against pandas:");
    let mut all = true;
    for (key, value) in ours {
        let other = theirs[key.as_str()].as_f64();
        let same = other.is_some_and(|o| (o - value).abs() <= 1e-9 * value.abs().max(1.0));
        all &= same;
        let other = other.map_or_else(|| "missing".to_owned(), |o| format!("{o:.6}"));
        let verdict = if same { "agree" } else { "DIFFER" };
        println!("    {key:<48} {value:>16.6} {other:>16}  {verdict}");
    }
    println!(
        "  {}",
        if all {
            "klankbord and pandas agree on every figure checked"
        } else {
            "klankbord and pandas DIFFER"
        }
    );
}
