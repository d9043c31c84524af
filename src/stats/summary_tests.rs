//! The summaries against figures worked out by hand for eight responses to the
//! reference questionnaire (intervals from the textbook formulas).

use super::interval::{Interval, t975, wilson};
use super::summary::{Figures, QuestionSummary, SurveySummary, summarise};
use crate::domain::questionnaire::routing::{AnswerValue, ScaleAnswer};
use crate::domain::questionnaire::{Answers, OptionValue, QuestionId, parse_questionnaire};

const EXAMPLE: &str = include_str!("../../panel-schemas/examples/questionnaire.json");

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

fn close_interval(i: Option<Interval>, low: f64, high: f64) {
    let i = i.expect("an interval");
    close(i.low, low);
    close(i.high, high);
}

fn choice(v: &str) -> AnswerValue {
    AnswerValue::Choice(OptionValue::parse(v).unwrap())
}

fn choices(vs: &[&str], other: Option<&str>) -> AnswerValue {
    AnswerValue::Choices {
        values: vs.iter().map(|v| OptionValue::parse(v).unwrap()).collect(),
        other: other.map(str::to_owned),
    }
}

fn response(pairs: Vec<(&str, AnswerValue)>) -> Answers {
    pairs
        .into_iter()
        .map(|(id, v)| (QuestionId::parse(id).unwrap(), v))
        .collect()
}

/// Eight responses. Five work; the sixth left an answer behind on a question its
/// routing hides, which must not count.
pub(super) fn fixture() -> Vec<Answers> {
    use AnswerValue::{Grade, Number, Scale, Text};
    use ScaleAnswer::{DontKnow, Point};
    vec![
        response(vec![
            ("werk_nu", choice("ja")),
            ("effect_leven", choice("beter")),
            ("cijfer_steun", Grade(7)),
            ("steun_helpt", choices(&["gesprek", "uren"], None)),
            ("uren_week", Number(32)),
            ("eens_zeker", Scale(Point(4))),
            ("wat_beter", Text("Meer begrip".into())),
        ]),
        response(vec![
            ("werk_nu", choice("ja")),
            ("effect_leven", choice("beter")),
            ("cijfer_steun", Grade(8)),
            ("steun_helpt", choices(&["jobcoach"], None)),
            ("uren_week", Number(24)),
            ("eens_zeker", Scale(Point(5))),
        ]),
        response(vec![
            ("werk_nu", choice("ja")),
            ("effect_leven", choice("gelijk")),
            ("cijfer_steun", Grade(5)),
            ("steun_helpt", choices(&["gesprek"], None)),
            ("uren_week", Number(16)),
            ("eens_zeker", Scale(DontKnow)),
            ("wat_beter", Text("Minder druk".into())),
        ]),
        response(vec![
            ("werk_nu", choice("ja")),
            ("effect_leven", choice("slechter")),
            ("cijfer_steun", Grade(4)),
            ("steun_helpt", choices(&["niets"], None)),
            ("uren_week", Number(36)),
            ("eens_zeker", Scale(Point(2))),
        ]),
        response(vec![
            ("werk_nu", choice("ja")),
            ("effect_leven", choice("beter")),
            ("cijfer_steun", Grade(6)),
            ("steun_helpt", choices(&["gesprek", "collega"], None)),
            ("eens_zeker", Scale(Point(4))),
        ]),
        response(vec![
            ("werk_nu", choice("nee")),
            ("effect_leven", choice("beter")),
            ("steun_helpt", choices(&[], Some("thuiswerken"))),
            ("eens_zeker", Scale(Point(1))),
        ]),
        response(vec![
            ("werk_nu", choice("nee")),
            ("eens_zeker", Scale(DontKnow)),
        ]),
        response(vec![
            ("werk_nu", choice("nee")),
            ("steun_helpt", choices(&["uren"], Some("pauzes"))),
            ("wat_beter", Text("   ".into())),
        ]),
    ]
}

pub(super) fn summary(population: Option<u64>) -> SurveySummary {
    let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
    summarise(&q.questions, &fixture(), population).unwrap()
}

fn question<'a>(s: &'a SurveySummary, id: &str) -> &'a QuestionSummary {
    s.questions.iter().find(|q| q.id.as_str() == id).unwrap()
}

fn counts(q: &QuestionSummary) -> Vec<u64> {
    match &q.figures {
        Figures::Choice(c) => c.options.iter().map(|c| c.n).collect(),
        Figures::Multiple(m) => m.options.iter().map(|c| c.n).collect(),
        Figures::Grade(g) => g.marks.iter().map(|c| c.n).collect(),
        _ => vec![],
    }
}

#[test]
fn single_choice_counts_shares_and_wilson_intervals() {
    let s = summary(None);
    assert_eq!(s.respondents, 8);
    let werk = question(&s, "werk_nu");
    assert_eq!((werk.asked, werk.answered, werk.no_answer), (8, 8, 0));
    let Figures::Choice(c) = &werk.figures else {
        panic!("choice")
    };
    assert_eq!(counts(werk), [5, 3]);
    assert_eq!(c.options[0].label, "Ja");
    close(c.options[0].share.unwrap(), 0.625);
    close_interval(c.options[0].interval, 0.305_742_394_6, 0.863_155_714_2);
    assert!(c.dont_know.is_none());

    // Routing: only the five who work were asked; the sixth's stale answer is ignored.
    let effect = question(&s, "effect_leven");
    assert_eq!((effect.asked, effect.answered), (5, 5));
    assert_eq!(counts(effect), [3, 1, 1]);
}

#[test]
fn grades_mean_median_distribution_and_below_six() {
    let s = summary(None);
    let q = question(&s, "cijfer_steun");
    assert_eq!((q.asked, q.answered), (5, 5));
    let Figures::Grade(g) = &q.figures else {
        panic!("grade")
    };
    // Marks 1..=10: 4, 5, 6, 7 and 8 once each.
    assert_eq!(counts(q), [0, 0, 0, 1, 1, 1, 1, 1, 0, 0]);
    let m = g.moments.as_ref().unwrap();
    close(m.mean, 6.0);
    close(m.median, 6.0);
    close(m.sd.unwrap(), 2.5f64.sqrt());
    close(m.q1, 5.0);
    close(m.q3, 7.0);
    // 6 ± t(4) · √2.5 / √5
    close_interval(m.interval, 4.036_756_912_9, 7.963_243_087_1);
    assert_eq!(g.below_six.n, 2);
    close(g.below_six.share.unwrap(), 0.4);
    close_interval(g.below_six.interval, 0.117_620_774_2, 0.769_275_718_7);
}

#[test]
fn multiple_choice_is_a_share_of_respondents() {
    let s = summary(None);
    let q = question(&s, "steun_helpt");
    // Everyone was asked; one left it empty.
    assert_eq!((q.asked, q.answered, q.no_answer), (8, 7, 1));
    let Figures::Multiple(m) = &q.figures else {
        panic!("multiple")
    };
    assert_eq!(counts(q), [3, 2, 1, 1, 1]);
    close(m.options[0].share.unwrap(), 3.0 / 7.0);
    close_interval(m.options[0].interval, 0.158_219_855_3, 0.749_541_635_5);
    let other = m.other.as_ref().unwrap();
    assert_eq!(other.n, 2);
    assert_eq!(other.label, "Iets anders, namelijk:");
    // Shares of respondents add up to more than 1: several choices each.
    let total: f64 = m.options.iter().filter_map(|c| c.share).sum::<f64>() + 2.0 / 7.0;
    close(total, 10.0 / 7.0);
}

#[test]
fn numbers_mean_median_and_quartiles() {
    let s = summary(None);
    let q = question(&s, "uren_week");
    assert_eq!((q.asked, q.answered, q.no_answer), (5, 4, 1));
    let Figures::Number(n) = &q.figures else {
        panic!("number")
    };
    assert_eq!(n.unit.as_deref(), Some("uur per week"));
    let m = n.moments.as_ref().unwrap();
    assert_eq!(m.n, 4);
    close(m.mean, 27.0);
    close(m.median, 28.0);
    // 16, 24, 32, 36: linear interpolation at 0.75 and 2.25.
    close(m.q1, 22.0);
    close(m.q3, 33.0);
    close(m.min, 16.0);
    close(m.max, 36.0);
    close(m.sd.unwrap(), (236.0f64 / 3.0).sqrt());
    close_interval(m.interval, 12.886_769_918_1, 41.113_230_081_9);
}

#[test]
fn dont_know_and_no_answer_are_apart_on_a_scale() {
    let s = summary(None);
    let q = question(&s, "eens_zeker");
    assert_eq!((q.asked, q.answered, q.no_answer), (8, 7, 1));
    let Figures::Choice(c) = &q.figures else {
        panic!("choice")
    };
    assert_eq!(counts(q), [1, 1, 0, 2, 1]);
    assert_eq!(c.options[3].label, "Eens");
    let dk = c.dont_know.as_ref().unwrap();
    assert_eq!(dk.n, 2);
    close(dk.share.unwrap(), 2.0 / 7.0);
    close(c.options[2].share.unwrap(), 0.0);
    close_interval(c.options[2].interval, 0.0, 0.354_330_435_1);
}

#[test]
fn open_answers_are_listed_without_blanks() {
    let s = summary(None);
    let q = question(&s, "wat_beter");
    assert_eq!((q.asked, q.answered, q.no_answer), (8, 2, 6));
    assert_eq!(
        q.figures,
        Figures::Open(vec!["Meer begrip".into(), "Minder druk".into()])
    );
}

#[test]
fn the_finite_population_correction_narrows_intervals() {
    // All ten eligible members were invited; eight answered werk_nu.
    let s = summary(Some(10));
    let Figures::Choice(c) = &question(&s, "werk_nu").figures else {
        panic!("choice")
    };
    close_interval(c.options[0].interval, 0.462_138_604_4, 0.763_756_738_5);
    let Figures::Grade(g) = &question(&s, "cijfer_steun").figures else {
        panic!("grade")
    };
    // √((10 - 5) / 9) times the half width.
    close_interval(
        g.moments.as_ref().unwrap().interval,
        4.536_685_000_3,
        7.463_314_999_7,
    );
    // Everyone answered: the share is exact.
    let census = summary(Some(8));
    let Figures::Choice(c) = &question(&census, "werk_nu").figures else {
        panic!("choice")
    };
    close_interval(c.options[0].interval, 0.625, 0.625);
}

#[test]
fn nothing_to_summarise_gives_no_numbers() {
    let q = parse_questionnaire(EXAMPLE.as_bytes()).unwrap();
    let s = summarise(&q.questions, &[], None).unwrap();
    assert_eq!(s.respondents, 0);
    for q in &s.questions {
        assert_eq!((q.asked, q.answered), (0, 0));
        match &q.figures {
            Figures::Choice(c) => assert!(c.options.iter().all(|c| c.share.is_none())),
            Figures::Grade(g) => assert!(g.moments.is_none() && g.below_six.share.is_none()),
            Figures::Number(n) => assert!(n.moments.is_none()),
            _ => {}
        }
    }
    // One number: a mean, no interval.
    let one = vec![response(vec![
        ("werk_nu", choice("ja")),
        ("uren_week", AnswerValue::Number(20)),
    ])];
    let s = summarise(&q.questions, &one, None).unwrap();
    let Figures::Number(n) = &question(&s, "uren_week").figures else {
        panic!("number")
    };
    let m = n.moments.as_ref().unwrap();
    assert_eq!((m.mean, m.sd, m.interval), (20.0, None, None));
}

#[test]
fn t_quantiles_follow_the_table_and_the_normal() {
    close(t975(4), 2.776_445);
    close(t975(30), 2.042_272);
    // Published values for 40, 60 and 120 degrees of freedom.
    assert!((t975(40) - 2.021_075).abs() < 1e-5);
    assert!((t975(60) - 2.000_298).abs() < 1e-5);
    assert!((t975(120) - 1.979_930).abs() < 1e-5);
    assert!((t975(1_000_000) - 1.959_964).abs() < 1e-5);
    assert!(wilson(1, 0, None).is_none());
}
