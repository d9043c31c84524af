//! What the fieldwork quality page reads: for every invitation of a survey the facts
//! its AAPOR disposition rests on, and the invited member's background for the
//! R-indicator.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Query;
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect};

use super::StoreResult;
use super::entities::{call_attempt, invitation, member, member_background, outbox, response};
use super::outbox::OutboxStatus;
use crate::domain::phone::Disposition;
use crate::domain::response::ResponseStatus;
use crate::stats::Case;

/// One invitation: its case and the member's background (empty once erased).
pub struct InvitedCase {
    pub case: Case,
    pub background: BTreeMap<String, String>,
}

pub async fn cases(db: &impl ConnectionTrait, survey_id: i64) -> StoreResult<Vec<InvitedCase>> {
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?;
    let invited = Query::select()
        .column(invitation::Column::MemberId)
        .from(invitation::Entity)
        .and_where(invitation::Column::SurveyId.eq(survey_id))
        .to_owned();
    let members: Vec<(i64, String, Option<DateTimeUtc>)> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::Pseudonym)
        .column(member::Column::WithdrawnAt)
        .filter(member::Column::Id.in_subquery(invited.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let mut background: HashMap<i64, BTreeMap<String, String>> = HashMap::new();
    for v in member_background::Entity::find()
        .filter(member_background::Column::MemberId.in_subquery(invited))
        .all(db)
        .await?
    {
        background
            .entry(v.member_id)
            .or_default()
            .insert(v.variable, v.value);
    }
    let responses: HashMap<String, ResponseStatus> = response::Entity::find()
        .select_only()
        .column(response::Column::Respondent)
        .column(response::Column::Status)
        .filter(response::Column::SurveyId.eq(survey_id))
        .into_tuple::<(String, ResponseStatus)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut last_call: HashMap<i64, Disposition> = HashMap::new();
    for (invitation_id, disposition) in call_attempt::Entity::find()
        .select_only()
        .column(call_attempt::Column::InvitationId)
        .column(call_attempt::Column::Disposition)
        .filter(call_attempt::Column::SurveyId.eq(survey_id))
        .order_by_asc(call_attempt::Column::Id)
        .into_tuple::<(i64, Disposition)>()
        .all(db)
        .await?
    {
        last_call.insert(invitation_id, disposition);
    }
    // Invitation emails given up on; their keys are `survey:S:invitation:I:invitation`.
    let prefix = format!("survey:{survey_id}:invitation:");
    let bounced: HashSet<i64> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::IdempotencyKey)
        .filter(outbox::Column::IdempotencyKey.starts_with(&prefix))
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed))
        .into_tuple::<String>()
        .all(db)
        .await?
        .iter()
        .filter_map(|key| {
            let rest = key.strip_prefix(&prefix)?;
            let (id, kind) = rest.split_once(':')?;
            (kind == "invitation").then(|| id.parse().ok()).flatten()
        })
        .collect();
    let members: HashMap<i64, (String, bool)> = members
        .into_iter()
        .map(|(id, pseudonym, withdrawn)| (id, (pseudonym, withdrawn.is_some())))
        .collect();
    Ok(invitations
        .into_iter()
        .map(|inv| {
            let member = members.get(&inv.member_id);
            InvitedCase {
                case: Case {
                    status: inv.status,
                    channel: inv.channel,
                    opened: inv.opened_at.is_some(),
                    response: member.and_then(|(p, _)| responses.get(p).copied()),
                    last_call: last_call.get(&inv.id).copied(),
                    undeliverable: bounced.contains(&inv.id),
                    withdrawn: member.is_some_and(|(_, w)| *w),
                },
                background: background.remove(&inv.member_id).unwrap_or_default(),
            }
        })
        .collect())
}
