//! Fuzz the questionnaire parser and checks: any bytes must give a questionnaire or an
//! error, never a panic; a parsed questionnaire must survive its own checks and a JSON
//! round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(questionnaire) = klankbord::domain::questionnaire::parse_questionnaire(data) {
        let _ = questionnaire.problems();
        let json = serde_json::to_vec(&questionnaire).expect("a parsed questionnaire serialises");
        let again = klankbord::domain::questionnaire::parse_questionnaire(&json)
            .expect("a serialised questionnaire parses again");
        assert_eq!(again, questionnaire);
    }
    let _ = klankbord::schema_check::check_bytes("fuzz.json", data, klankbord::i18n::Lang::Nl);
});
