//! Fieldwork quality of a survey: every invitation's final AAPOR disposition, the
//! outcome rates that fit the panel's recruitment, and the R-indicator of the response
//! with partial indicators per background variable (which groups answered less).

use sea_orm::ConnectionTrait;

use crate::domain::panel::{PanelDefinition, Recruitment};
use crate::stats::{Dispositions, RIndicator, RIndicatorError, Rates, final_class, r_indicator};
use crate::store::entities::survey;
use crate::store::{StoreError, panels, quality, responses};

/// The value of a background variable a member never gave (or an erased member).
pub const UNKNOWN: &str = "?";

pub struct Quality {
    pub survey: survey::Model,
    pub panel: PanelDefinition,
    pub recruitment: Recruitment,
    pub dispositions: Dispositions,
    /// The estimated share of unknown-eligibility cases that are eligible.
    pub e: Option<f64>,
    pub rates: Rates,
    pub participation: Option<f64>,
    /// The R-indicator over the invited members; why not, when it cannot be estimated.
    pub r: Result<RIndicator, RIndicatorError>,
}

pub async fn load(db: &impl ConnectionTrait, survey_id: i64) -> Result<Quality, StoreError> {
    let survey = responses::survey(db, survey_id).await?;
    let panel = panels::get(db, &survey.panel_id).await?;
    let cases = quality::cases(db, survey.id).await?;
    let variables: Vec<String> = panel
        .background_variables
        .iter()
        .map(|v| v.id.to_string())
        .collect();
    let mut dispositions = Dispositions::default();
    let mut units = Vec::new();
    let mut responded = Vec::new();
    for c in &cases {
        let Some(class) = final_class(&c.case) else {
            continue;
        };
        dispositions.add(class, 1);
        units.push(
            variables
                .iter()
                .map(|v| {
                    c.background
                        .get(v)
                        .cloned()
                        .unwrap_or_else(|| UNKNOWN.to_owned())
                })
                .collect::<Vec<String>>(),
        );
        responded.push(class == crate::stats::FinalClass::Complete);
    }
    let e = dispositions.estimated_e();
    let rates = dispositions.rates(e.unwrap_or(1.0));
    let r = r_indicator(&variables, &units, &responded);
    Ok(Quality {
        recruitment: panel.reporting.recruitment,
        participation: dispositions.participation_rate(),
        survey,
        panel,
        dispositions,
        e,
        rates,
        r,
    })
}
