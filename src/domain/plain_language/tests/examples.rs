//! The reference examples of the shared folder pass without problems.

use super::fixtures::{FLITSPEILING, PANEL, QUESTIONNAIRE};
use super::*;

#[test]
fn the_reference_examples_have_no_problems() {
    for (name, texts) in [
        ("questionnaire", QUESTIONNAIRE),
        ("flitspeiling", FLITSPEILING),
        ("panel", PANEL),
    ] {
        let report = check_texts(texts.iter().map(|&(at, text)| (at.to_owned(), text)));
        let problems: Vec<_> = report
            .findings()
            .filter(|(_, f)| f.severity == Severity::Problem)
            .collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        let score = report.score.expect("whole questionnaire has a score");
        assert!(score.b1_or_easier, "{name}: {score:?}");
    }
    // The only warning: a panel name, a long compound nobody can rename.
    let warnings: Vec<(String, String)> = [QUESTIONNAIRE, FLITSPEILING, PANEL]
        .iter()
        .flat_map(|texts| texts.iter())
        .flat_map(|&(at, text)| {
            check_text(text)
                .findings
                .into_iter()
                .map(move |f| (at.to_owned(), f.excerpt))
        })
        .collect();
    assert_eq!(warnings, [("name".to_owned(), "Ervaringspanel".to_owned())]);
}
