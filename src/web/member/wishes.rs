//! "Hoe vaak wilt u een uitnodiging?" in Mijn gegevens: the member's own, stricter
//! contact wishes. Only choices stricter than the panel's rule are offered; the store
//! keeps them and the fieldwork applies the stricter of both at every send.

use axum::extract::State;
use axum::response::Redirect;

use crate::domain::fieldwork::MemberLimits;
use crate::domain::panel::ContactPolicy;
use crate::store::{fieldwork, members, panels};
use crate::web::auth::MemberAuth;
use crate::web::error::{WebError, WebResult};
use crate::web::form::CsrfForm;
use crate::web::state::AppState;

/// One select: its field name, label key, and options (value, label, selected).
pub struct WishSelect {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String, bool)>,
}

/// The panel's rule (value "panel") and every stricter value.
fn select(
    ctx: &crate::web::ctx::PageCtx,
    name: &'static str,
    label: &'static str,
    panel: u32,
    stricter: &[u32],
    own: Option<u32>,
    text: impl Fn(u32) -> String,
) -> WishSelect {
    let mut options = vec![(
        "panel".to_owned(),
        ctx.tf1("wishes.panel_rule", "rule", text(panel)),
        own.is_none(),
    )];
    for value in stricter {
        options.push((value.to_string(), text(*value), own == Some(*value)));
    }
    WishSelect {
        name,
        label,
        options,
    }
}

/// The selects for this member, with their current wishes chosen.
pub fn selects(
    ctx: &crate::web::ctx::PageCtx,
    policy: &ContactPolicy,
    own: Option<MemberLimits>,
) -> Vec<WishSelect> {
    let own = own.unwrap_or_default();
    let below = |panel: u32| (0..panel).rev().collect::<Vec<_>>();
    let longer: Vec<u32> = [14, 30, 60, 90]
        .into_iter()
        .filter(|d| *d > policy.min_days_between_invitations)
        .collect();
    vec![
        select(
            ctx,
            "per_year",
            "wishes.per_year",
            policy.max_invitations_per_year,
            &below(policy.max_invitations_per_year),
            own.max_invitations_per_year,
            |n| match n {
                0 => ctx.t("wishes.none").to_owned(),
                n => ctx.tf1("wishes.per_year_n", "n", n),
            },
        ),
        select(
            ctx,
            "flash_per_month",
            "wishes.flash_per_month",
            policy.max_flash_polls_per_month,
            &below(policy.max_flash_polls_per_month),
            own.max_flash_polls_per_month,
            |n| match n {
                0 => ctx.t("wishes.no_flash").to_owned(),
                n => ctx.tf1("wishes.flash_n", "n", n),
            },
        ),
        select(
            ctx,
            "days_between",
            "wishes.days_between",
            policy.min_days_between_invitations,
            &longer,
            own.min_days_between_invitations,
            |n| ctx.tf1("wishes.days_n", "n", n),
        ),
        select(
            ctx,
            "reminders",
            "wishes.reminders",
            policy.max_reminders_per_invitation,
            &below(policy.max_reminders_per_invitation),
            own.max_reminders_per_invitation,
            |n| match n {
                0 => ctx.t("wishes.no_reminders").to_owned(),
                n => ctx.tf1("wishes.reminders_n", "n", n),
            },
        ),
    ]
}

/// "panel" → no own wish; a number must be one of the offered, stricter values.
fn parse(value: &str, allowed: impl Fn(u32) -> bool) -> Result<Option<u32>, WebError> {
    if value == "panel" {
        return Ok(None);
    }
    match value.parse::<u32>() {
        Ok(n) if allowed(n) => Ok(Some(n)),
        _ => Err(WebError::BadRequest("wishes.invalid")),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    MemberAuth(m): MemberAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Redirect> {
    let panel = panels::get(&state.db, &m.panel_id).await?;
    let p = &panel.contact_policy;
    let wishes = MemberLimits {
        max_invitations_per_year: parse(form.get("per_year"), |n| n < p.max_invitations_per_year)?,
        max_flash_polls_per_month: parse(form.get("flash_per_month"), |n| {
            n < p.max_flash_polls_per_month
        })?,
        min_days_between_invitations: parse(form.get("days_between"), |n| {
            n > p.min_days_between_invitations
        })?,
        max_reminders_per_invitation: parse(form.get("reminders"), |n| {
            n < p.max_reminders_per_invitation
        })?,
    };
    fieldwork::set_wishes(&state.db, m.id, &wishes).await?;
    let times: String = form.get("call_times").trim().chars().take(200).collect();
    members::set_call_times(
        &state.db,
        m.id,
        (!times.is_empty()).then_some(times.as_str()),
    )
    .await?;
    Ok(Redirect::to("/mijn-gegevens?opgeslagen=1#uitnodigingen"))
}
