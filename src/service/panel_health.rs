//! The manager's view of a panel over time: its health (members coming and going,
//! invitations against the contact policy, composition against the targets then and
//! now) and the process evaluation of its surveys.

use chrono::{DateTime, Months, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::panel::PanelDefinition;
use crate::domain::questionnaire::appendix::evaluation_questions;
use crate::i18n::Lang;
use crate::stats::evaluation::{EvaluationTable, evaluation};
use crate::stats::panel_health::{
    CompositionTrend, InvitationSpread, MonthRow, composition_trend, invitation_spread,
    moments_back, monthly, spans,
};
use crate::store::{StoreResult, panel_health as store, panels};

/// How many months the member counts go back.
pub const MONTHS: u32 = 12;
/// How far back the composition is compared, in months (and now).
pub const COMPOSITION_BACK: [u32; 2] = [12, 6];

pub struct PanelHealth {
    pub panel: PanelDefinition,
    pub months: Vec<MonthRow>,
    pub invitations: InvitationSpread,
    pub composition: CompositionTrend,
}

pub async fn health(
    db: &impl ConnectionTrait,
    panel_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<PanelHealth> {
    let panel = panels::get(db, panel_id).await?;
    let rows = store::member_rows(db, panel_id).await?;
    let events = store::leave_events(db, panel_id).await?;
    let spans = spans(&rows, &events);
    let year_ago = now
        .checked_sub_months(Months::new(12))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let counts = store::invitations_per_member(db, panel_id, year_ago, now).await?;
    Ok(PanelHealth {
        months: monthly(&spans, now, MONTHS),
        invitations: invitation_spread(&counts, panel.contact_policy.max_invitations_per_year),
        composition: composition_trend(&panel, &spans, &moments_back(now, &COMPOSITION_BACK)),
        panel,
    })
}

pub struct ProcessEvaluation {
    pub panel: PanelDefinition,
    /// One table per evaluation question, in the order they are asked.
    pub tables: Vec<EvaluationTable>,
}

pub async fn process_evaluation(
    db: &impl ConnectionTrait,
    panel_id: &str,
    lang: Lang,
) -> StoreResult<ProcessEvaluation> {
    let panel = panels::get(db, panel_id).await?;
    let (surveys, answers) = store::evaluation_answers(db, panel_id).await?;
    Ok(ProcessEvaluation {
        panel,
        tables: evaluation(&evaluation_questions(lang), &surveys, &answers),
    })
}
