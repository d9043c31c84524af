//! The weighted summary of the eight-response fixture against figures worked out by
//! hand: respondents 1, 3, 5 and 7 weigh 0.5, respondents 2, 4, 6 and 8 weigh 1.5
//! (mean 1). Without weights the figures are today's, and the unweighted figures do
//! not change when weights are given.

use super::StatsError;
use super::interval::Interval;
use super::summary::{Count, Figures, QuestionSummary, SurveySummary, analyse};
use super::summary_tests::fixture;
use crate::domain::questionnaire::{Question, parse_questionnaire};

const EXAMPLE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");
const WEIGHTS: [f64; 8] = [0.5, 1.5, 0.5, 1.5, 0.5, 1.5, 0.5, 1.5];

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

fn close_interval(i: Interval, low: f64, high: f64) {
    close(i.low, low);
    close(i.high, high);
}

fn questions() -> Vec<Question> {
    parse_questionnaire(EXAMPLE.as_bytes()).unwrap().questions
}

fn weighted(weights: &[f64]) -> SurveySummary {
    analyse(&questions(), &fixture(), None, &[], Some(weights))
        .unwrap()
        .0
}

fn question<'a>(s: &'a SurveySummary, id: &str) -> &'a QuestionSummary {
    s.questions.iter().find(|q| q.id.as_str() == id).unwrap()
}

/// Every `Count` of the summary, in order.
fn counts(s: &mut SurveySummary) -> Vec<&mut Count> {
    let mut out = Vec::new();
    for q in &mut s.questions {
        match &mut q.figures {
            Figures::Choice(c) => out.extend(c.options.iter_mut().chain(c.dont_know.as_mut())),
            Figures::Multiple(m) => out.extend(m.options.iter_mut().chain(m.other.as_mut())),
            Figures::Grade(g) => {
                out.extend(g.marks.iter_mut());
                out.push(&mut g.below_six);
            }
            Figures::Number(_) | Figures::Open(_) => {}
        }
    }
    out
}

/// The summary with its weighted figures taken out.
fn unweighted_part(mut s: SurveySummary) -> SurveySummary {
    s.weighting = None;
    for c in counts(&mut s) {
        c.weighted = None;
    }
    for q in &mut s.questions {
        match &mut q.figures {
            Figures::Grade(g) => g.moments.iter_mut().for_each(|m| m.weighted = None),
            Figures::Number(n) => n.moments.iter_mut().for_each(|m| m.weighted = None),
            _ => {}
        }
    }
    s
}

#[test]
fn without_weights_no_weighted_figures_and_the_same_unweighted_ones() {
    let plain = analyse(&questions(), &fixture(), None, &[], None)
        .unwrap()
        .0;
    assert_eq!(plain.weighting, None);
    let mut copy = plain.clone();
    assert!(counts(&mut copy).iter().all(|c| c.weighted.is_none()));
    assert_eq!(plain, super::summary_tests::summary(None));
    // Weights change no unweighted figure.
    assert_eq!(unweighted_part(weighted(&WEIGHTS)), plain);
}

#[test]
fn weighted_shares_of_single_choice_with_the_design_effect() {
    let s = weighted(&WEIGHTS);
    // Σw = 8, Σw² = 4 · 0.25 + 4 · 2.25 = 10: deff = 8 · 10 / 64 = 1.25, n_eff = 6.4.
    let info = s.weighting.unwrap();
    close(info.total, 8.0);
    close(info.design_effect.unwrap(), 1.25);
    close(info.effective_n.unwrap(), 6.4);
    let Figures::Choice(c) = &question(&s, "werk_nu").figures else {
        panic!("choice")
    };
    // "ja" = respondents 1 to 5: 0.5 + 1.5 + 0.5 + 1.5 + 0.5 = 4.5 of 8 (unweighted 5/8).
    let ja = c.options[0].weighted.unwrap();
    close(ja.weight, 4.5);
    close(ja.share, 0.5625);
    close(ja.effective_n, 6.4);
    // Wilson at p = 0.5625, n = 6.4: z²/n = 0.600228, centre = (0.5625 + 0.300114) /
    // 1.600228 = 0.539058, half = 1.959964 / 1.600228 · sqrt(0.0384521 + 0.0234464)
    // = 0.304725.
    close_interval(ja.interval, 0.234_333_056_9, 0.843_780_814_8);
    close(c.options[1].weighted.unwrap().share, 3.5 / 8.0);
}

#[test]
fn weighted_shares_of_multiple_choice_and_dont_know() {
    let s = weighted(&WEIGHTS);
    // Respondent 7 (0.5) left the multiple choice empty: base Σw = 7.5,
    // Σw² = 10 − 0.25 = 9.75, n_eff = 56.25 / 9.75 = 5.769231.
    let Figures::Multiple(m) = &question(&s, "steun_helpt").figures else {
        panic!("multiple")
    };
    // "gesprek": respondents 1, 3 and 5, 1.5 of 7.5.
    let gesprek = m.options[0].weighted.unwrap();
    close(gesprek.share, 0.2);
    close(gesprek.effective_n, 56.25 / 9.75);
    close_interval(gesprek.interval, 0.040_033_511_1, 0.599_790_621_2);
    // "other": respondents 6 and 8, 3 of 7.5.
    let other = m.other.as_ref().unwrap().weighted.unwrap();
    close(other.share, 0.4);
    close_interval(other.interval, 0.127_677_062_6, 0.752_264_314_8);

    // Respondent 8 (1.5) left the scale empty: base 6.5, Σw² = 7.75; don't know is
    // respondents 3 and 7: 1 of 6.5.
    let Figures::Choice(c) = &question(&s, "eens_zeker").figures else {
        panic!("choice")
    };
    let dk = c.dont_know.as_ref().unwrap().weighted.unwrap();
    close(dk.share, 1.0 / 6.5);
    close(dk.effective_n, 6.5 * 6.5 / 7.75);
    close_interval(dk.interval, 0.024_381_118_3, 0.569_489_061_5);
    // A point nobody chose has weighted share 0.
    close(c.options[2].weighted.unwrap().share, 0.0);
}

#[test]
fn weighted_means_of_numbers_and_marks() {
    let s = weighted(&WEIGHTS);
    // Hours: 32 (0.5), 24 (1.5), 16 (0.5), 36 (1.5): Σw = 4, Σwx = 16 + 36 + 8 + 54
    // = 114, mean 28.5 (unweighted 27).
    let Figures::Number(n) = &question(&s, "uren_week").figures else {
        panic!("number")
    };
    let moments = n.moments.as_ref().unwrap();
    close(moments.mean, 27.0);
    let w = moments.weighted.unwrap();
    assert_eq!(w.n, 4);
    close(w.mean, 28.5);
    // Σw(x − 28.5)² = 0.5 · 12.25 + 1.5 · 20.25 + 0.5 · 156.25 + 1.5 · 56.25 = 199;
    // sd² = 199 / 4 · 4/3, sd = 8.144528. n_eff = 16 / 5 = 3.2, df = 2, t = 4.302653:
    // half = 4.302653 · 8.144528 / sqrt(3.2) = 19.589676.
    close(w.sd.unwrap(), 8.144_527_815);
    close(w.effective_n, 3.2);
    let interval = w.interval.unwrap();
    close(interval.low, 28.5 - 19.589_675_6);
    close(interval.high, 28.5 + 19.589_675_6);

    // Marks 7 (0.5), 8 (1.5), 5 (0.5), 4 (1.5), 6 (0.5): Σw = 4.5, Σwx = 27, mean 6;
    // Σw(x − 6)² = 0.5 + 6 + 0.5 + 6 + 0 = 13, sd = sqrt(13 / 4.5 · 5/4) = 1.900292.
    let Figures::Grade(g) = &question(&s, "cijfer_steun").figures else {
        panic!("grade")
    };
    let w = g.moments.as_ref().unwrap().weighted.unwrap();
    close(w.mean, 6.0);
    close(w.sd.unwrap(), 1.900_292_375);
    close(w.effective_n, 4.5 * 4.5 / 5.25);
    // Below 6: marks 5 (0.5) and 4 (1.5), 2 of 4.5.
    let below = g.below_six.weighted.unwrap();
    close(below.weight, 2.0);
    close(below.share, 2.0 / 4.5);
    close_interval(below.interval, 0.120_066_581_7, 0.824_264_681_8);
    // Marks: 8 alone weighs 1.5 of 4.5.
    close(g.marks[7].weighted.unwrap().share, 1.5 / 4.5);
}

#[test]
fn equal_weights_give_the_unweighted_figures() {
    let s = weighted(&[1.0; 8]);
    let info = s.weighting.unwrap();
    close(info.design_effect.unwrap(), 1.0);
    close(info.effective_n.unwrap(), 8.0);
    let mut s = s;
    for c in counts(&mut s) {
        let Some(w) = c.weighted else {
            // Only an empty base has no weighted share, and then no share at all.
            assert!(c.share.is_none());
            continue;
        };
        close(w.share, c.share.unwrap());
        let plain = c.interval.unwrap();
        close_interval(w.interval, plain.low, plain.high);
    }
    let Figures::Number(n) = &question(&s, "uren_week").figures else {
        panic!("number")
    };
    let m = n.moments.as_ref().unwrap();
    let w = m.weighted.unwrap();
    close(w.mean, m.mean);
    close(w.sd.unwrap(), m.sd.unwrap());
    let (plain, weighted) = (m.interval.unwrap(), w.interval.unwrap());
    close_interval(weighted, plain.low, plain.high);
}

#[test]
fn weights_must_fit_the_responses() {
    let q = questions();
    let wrong = analyse(&q, &fixture(), None, &[], Some(&[1.0; 7]));
    assert!(matches!(
        wrong,
        Err(StatsError::WeightCount {
            weights: 7,
            responses: 8
        })
    ));
    let mut negative = [1.0; 8];
    negative[3] = -0.5;
    let negative = analyse(&q, &fixture(), None, &[], Some(&negative));
    assert!(matches!(
        negative,
        Err(StatsError::InvalidWeight { respondent: 3 })
    ));
    let mut nan = [1.0; 8];
    nan[0] = f64::NAN;
    assert!(analyse(&q, &fixture(), None, &[], Some(&nan)).is_err());
    // Columns made for other questions are refused, not read out of step.
    let columns = super::AnswerColumns::new(&q[1..], &fixture());
    assert!(matches!(
        super::analyse_columns(&q, &columns, None, &[], None),
        Err(StatsError::ColumnCount {
            columns: n,
            questions: m
        }) if n + 1 == m
    ));
}
