//! Hand-made cases for eligibility and the sampler, and a sample from a synthetic panel
//! with the reference panel's target distribution.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::Message;
use super::quota::default_quotas;
use super::sample::*;
use super::test_support::{Candidate, cat, frame, quota, var};
use crate::domain::ids::VariableId;
use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::Eligibility;
use crate::i18n::Lang;

fn background(pairs: &[(&str, &str)]) -> Background {
    pairs.iter().map(|(v, c)| (var(v), cat(c))).collect()
}

#[test]
fn eligibility_needs_a_listed_answer_for_every_variable() {
    let rule: Eligibility = [
        (var("rol"), vec![cat("ervaring")]),
        (var("leeftijd"), vec![cat("35-54"), cat("55+")]),
    ]
    .into();
    let yes = background(&[("rol", "ervaring"), ("leeftijd", "55+"), ("regio", "oost")]);
    assert!(eligible(&rule, &yes));
    assert!(!eligible(
        &rule,
        &background(&[("rol", "naaste"), ("leeftijd", "55+")])
    ));
    assert!(!eligible(&rule, &background(&[("rol", "ervaring")])));
    assert!(eligible(&Eligibility::new(), &Background::new()));
    let empty: Eligibility = [(var("rol"), vec![])].into();
    assert!(!eligible(&empty, &yes));
}

#[test]
fn members_are_left_out_for_the_first_reason_that_applies() {
    let ervaring = background(&[("rol", "ervaring"), ("regio", "oost")]);
    let naaste = background(&[("rol", "naaste"), ("regio", "oost")]);
    let no_regio = background(&[("rol", "ervaring")]);
    let west = background(&[("rol", "ervaring"), ("regio", "west")]);
    let c = |member_id, background, invitable| Candidate {
        member_id,
        background,
        invitable,
    };
    let candidates = [
        c(1, &ervaring, true),
        c(2, &naaste, true),
        c(3, &naaste, false),
        c(4, &ervaring, false),
        c(5, &no_regio, true),
        c(6, &west, true),
        c(7, &ervaring, true),
        c(7, &ervaring, true),
    ];
    let rule: Eligibility = [(var("rol"), vec![cat("ervaring")])].into();
    let quotas = [quota("regio", "oost", 3, 3, 3)];
    let outcome = draw(&frame(&candidates), &rule, &quotas, Size::All, 1);
    assert_eq!(outcome.picked, [1, 7]);
    assert_eq!(
        outcome.left_out,
        LeftOut {
            not_eligible: 2,
            policy: 1,
            outside_quotas: 2,
            quota_full: 0,
        }
    );
    let report = &outcome.per_category[0];
    assert_eq!(
        (report.eligible, report.available, report.picked),
        (3, 2, 2)
    );
    let shortfall = &outcome.shortfalls[0];
    assert_eq!((shortfall.needed, shortfall.available), (3, 2));
    assert_eq!(
        shortfall.message(Lang::Nl),
        "regio = oost: nodig 3, beschikbaar 2."
    );
    assert_eq!(outcome.size_shortfall, None);
    let lines: Vec<String> = outcome
        .left_out
        .lines()
        .iter()
        .map(|l| l.message(Lang::Nl))
        .collect();
    assert_eq!(lines[0], "2 leden passen niet bij de vragenlijst.");
    assert_eq!(lines.len(), 3);
}

#[test]
fn a_sample_larger_than_the_group_takes_everyone_and_says_so() {
    let b = background(&[("rol", "ervaring")]);
    let candidates: Vec<Candidate> = (1..=5)
        .map(|member_id| Candidate {
            member_id,
            background: &b,
            invitable: true,
        })
        .collect();
    let outcome = draw(
        &frame(&candidates),
        &Eligibility::new(),
        &[],
        Size::N(10),
        7,
    );
    assert_eq!(outcome.picked, [1, 2, 3, 4, 5]);
    let shortfall = outcome.size_shortfall.unwrap();
    assert_eq!(
        shortfall.message(Lang::Nl),
        "U wilt 10 leden uitnodigen. Er zijn er maar 5 die we mogen uitnodigen. We kiezen er 5."
    );
    assert_eq!(outcome.left_out, LeftOut::default());
}

#[test]
fn maximums_can_keep_a_sample_small() {
    let b = background(&[("rol", "naaste")]);
    let candidates: Vec<Candidate> = (1..=50)
        .map(|member_id| Candidate {
            member_id,
            background: &b,
            invitable: true,
        })
        .collect();
    let quotas = [
        quota("rol", "ervaring", 0, 15, 20),
        quota("rol", "naaste", 0, 5, 8),
    ];
    let outcome = draw(
        &frame(&candidates),
        &Eligibility::new(),
        &quotas,
        Size::N(20),
        7,
    );
    assert_eq!(outcome.picked.len(), 8);
    assert_eq!(outcome.left_out.quota_full, 42);
    let shortfall = outcome.size_shortfall.unwrap();
    assert_eq!(
        shortfall.message(Lang::Nl),
        "U wilt 20 leden uitnodigen. Door de maximums van de quota kiezen we er 8."
    );
}

#[test]
fn different_seeds_give_different_samples() {
    let b = Background::new();
    let candidates: Vec<Candidate> = (0..1000)
        .map(|member_id| Candidate {
            member_id,
            background: &b,
            invitable: true,
        })
        .collect();
    let samples: std::collections::BTreeSet<Vec<i64>> = (0..20)
        .map(|seed| {
            draw(
                &frame(&candidates),
                &Eligibility::new(),
                &[],
                Size::N(100),
                seed,
            )
            .picked
        })
        .collect();
    assert_eq!(samples.len(), 20);
}

/// A synthetic panel drawn from the reference panel's own target distribution: a 200
/// sample with default quotas on all four variables lands on every target.
#[test]
fn quota_sample_from_a_synthetic_reference_panel() {
    let panel =
        PanelDefinition::from_json(include_str!("../../../panel-schemas/examples/panel.json"))
            .unwrap();
    let mut rng = StdRng::seed_from_u64(2026);
    let backgrounds: Vec<Background> = (0..20_000)
        .map(|_| {
            panel
                .targets
                .iter()
                .map(|(variable, shares)| {
                    let mut roll: f64 = rng.random();
                    let mut chosen = shares.keys().last().unwrap();
                    for (category, share) in shares {
                        if roll < *share {
                            chosen = category;
                            break;
                        }
                        roll -= share;
                    }
                    (variable.clone(), chosen.clone())
                })
                .collect()
        })
        .collect();
    let candidates: Vec<Candidate> = backgrounds
        .iter()
        .enumerate()
        .map(|(i, background)| Candidate {
            member_id: i as i64,
            background,
            invitable: i % 10 != 0,
        })
        .collect();
    let variables: Vec<VariableId> = panel.targets.keys().cloned().collect();
    let quotas = default_quotas(&panel, &Eligibility::new(), &variables, 200).unwrap();
    let outcome = draw(
        &frame(&candidates),
        &Eligibility::new(),
        &quotas,
        Size::N(200),
        42,
    );
    assert_eq!(outcome.picked.len(), 200);
    assert_eq!(outcome.left_out.policy, 2000);
    for report in &outcome.per_category {
        assert_eq!(report.picked, report.quota_target, "{report:?}");
    }
}
