//! Questionnaires and their versions (immutable once stored), accepted findings, and
//! pilot testing: links for outsiders, pilot sessions with their answers kept apart
//! from real responses, and comments per question.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr as SqExpr;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::{
    finding_acceptance, pilot_comment, pilot_link, pilot_session, questionnaire,
    questionnaire_version,
};
use super::tokens::{hash_token, new_token};
use super::{StoreError, StoreResult};
use crate::domain::questionnaire::Questionnaire;

/// Store a questionnaire file as the next version of its questionnaire (made on first
/// upload). Returns the new version.
pub async fn add_version(
    db: &DatabaseConnection,
    panel_id: &str,
    parsed: &Questionnaire,
    json: &str,
    manager_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<questionnaire_version::Model> {
    let txn = super::begin_write(db).await?;
    let slug = parsed.id.to_string();
    let existing = questionnaire::Entity::find()
        .filter(questionnaire::Column::PanelId.eq(panel_id))
        .filter(questionnaire::Column::Slug.eq(&slug))
        .one(&txn)
        .await?;
    let q = match existing {
        Some(q) => q,
        None => questionnaire::ActiveModel {
            panel_id: Set(panel_id.to_owned()),
            slug: Set(slug),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(StoreError::from_db)?,
    };
    let last: Option<i32> = questionnaire_version::Entity::find()
        .select_only()
        .column_as(questionnaire_version::Column::Version.max(), "v")
        .filter(questionnaire_version::Column::QuestionnaireId.eq(q.id))
        .into_tuple()
        .one(&txn)
        .await?
        .flatten();
    let version = questionnaire_version::ActiveModel {
        questionnaire_id: Set(q.id),
        version: Set(last.unwrap_or(0) + 1),
        definition: Set(json.to_owned()),
        title: Set(parsed.title.clone()),
        kind: Set(parsed.kind.code().to_owned()),
        created_by: Set(manager_id),
        created_at: Set(now),
        published_at: Set(None),
        published_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two uploads at the same moment both want the next number: one wins.
    .map_err(|e| match StoreError::from_db(e) {
        StoreError::Duplicate(_) => StoreError::Conflict,
        other => other,
    })?;
    txn.commit().await?;
    Ok(version)
}

pub async fn questionnaire(
    db: &impl ConnectionTrait,
    id: i64,
) -> StoreResult<questionnaire::Model> {
    questionnaire::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn version(
    db: &impl ConnectionTrait,
    id: i64,
) -> StoreResult<questionnaire_version::Model> {
    questionnaire_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The stored questionnaire file of a version, parsed again.
pub fn parsed(version: &questionnaire_version::Model) -> StoreResult<Questionnaire> {
    crate::domain::questionnaire::parse_questionnaire(version.definition.as_bytes())
        .map_err(|e| StoreError::Corrupt(format!("questionnaire version {}: {e}", version.id)))
}

/// Parsed questionnaire versions that are published, by id. A published version never
/// changes (editing makes a new one), so a process reads and parses each once instead of
/// on every answering page. One cache per database: ids are the database's.
#[derive(Default)]
pub struct PublishedCache(std::sync::RwLock<HashMap<i64, Arc<Questionnaire>>>);

impl PublishedCache {
    /// The parsed version, from the database unless this process already knows it.
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
        version_id: i64,
    ) -> StoreResult<Arc<Questionnaire>> {
        if let Some(q) = self.0.read().expect("cache lock").get(&version_id) {
            return Ok(q.clone());
        }
        let row = version(db, version_id).await?;
        let questionnaire = Arc::new(parsed(&row)?);
        if row.published_at.is_some() {
            self.0
                .write()
                .expect("cache lock")
                .insert(version_id, questionnaire.clone());
        }
        Ok(questionnaire)
    }
}

/// All versions of a questionnaire, newest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    questionnaire_id: i64,
) -> StoreResult<Vec<questionnaire_version::Model>> {
    Ok(questionnaire_version::Entity::find()
        .filter(questionnaire_version::Column::QuestionnaireId.eq(questionnaire_id))
        .order_by_desc(questionnaire_version::Column::Version)
        .all(db)
        .await?)
}

/// A panel's questionnaires, each with its newest version.
pub async fn list(
    db: &impl ConnectionTrait,
    panel_id: &str,
) -> StoreResult<Vec<(questionnaire::Model, Vec<questionnaire_version::Model>)>> {
    let qs = questionnaire::Entity::find()
        .filter(questionnaire::Column::PanelId.eq(panel_id))
        .order_by_desc(questionnaire::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(qs.len());
    for q in qs {
        let vs = versions(db, q.id).await?;
        out.push((q, vs));
    }
    Ok(out)
}

pub async fn acceptances(
    db: &impl ConnectionTrait,
    version_id: i64,
) -> StoreResult<Vec<finding_acceptance::Model>> {
    Ok(finding_acceptance::Entity::find()
        .filter(finding_acceptance::Column::VersionId.eq(version_id))
        .all(db)
        .await?)
}

/// Record that a manager accepted a finding; accepting twice keeps the first record.
pub async fn accept(
    db: &impl ConnectionTrait,
    version_id: i64,
    finding_key: &str,
    manager_id: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let exists = finding_acceptance::Entity::find()
        .filter(finding_acceptance::Column::VersionId.eq(version_id))
        .filter(finding_acceptance::Column::FindingKey.eq(finding_key))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let result = finding_acceptance::ActiveModel {
        version_id: Set(version_id),
        finding_key: Set(finding_key.to_owned()),
        manager_id: Set(manager_id),
        reason: Set(reason.map(str::to_owned)),
        accepted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match result.map_err(StoreError::from_db) {
        Ok(_) | Err(StoreError::Duplicate(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Publish a version: from then on it never changes and can be scheduled.
pub async fn publish(
    db: &impl ConnectionTrait,
    version_id: i64,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    questionnaire_version::Entity::update_many()
        .col_expr(
            questionnaire_version::Column::PublishedAt,
            SqExpr::value(now),
        )
        .col_expr(
            questionnaire_version::Column::PublishedBy,
            SqExpr::value(manager_id),
        )
        .filter(questionnaire_version::Column::Id.eq(version_id))
        .filter(questionnaire_version::Column::PublishedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// How long a pilot link works.
pub const PILOT_LINK_DAYS: i64 = 30;

/// Make a pilot link for an outsider; returns it with the secret to put in the link.
pub async fn create_pilot_link(
    db: &impl ConnectionTrait,
    version_id: i64,
    label: &str,
    manager_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<(pilot_link::Model, String)> {
    let token = new_token();
    let link = pilot_link::ActiveModel {
        version_id: Set(version_id),
        label: Set(label.to_owned()),
        token_hash: Set(hash_token(&token)),
        created_by: Set(Some(manager_id)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(PILOT_LINK_DAYS)),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((link, token))
}

pub async fn pilot_links(
    db: &impl ConnectionTrait,
    version_id: i64,
) -> StoreResult<Vec<pilot_link::Model>> {
    Ok(pilot_link::Entity::find()
        .filter(pilot_link::Column::VersionId.eq(version_id))
        .order_by_desc(pilot_link::Column::CreatedAt)
        .all(db)
        .await?)
}

/// A live pilot link for this version and token.
pub async fn pilot_link_by_token(
    db: &impl ConnectionTrait,
    version_id: i64,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<pilot_link::Model>> {
    Ok(pilot_link::Entity::find()
        .filter(pilot_link::Column::TokenHash.eq(hash_token(token)))
        .filter(pilot_link::Column::VersionId.eq(version_id))
        .filter(pilot_link::Column::RevokedAt.is_null())
        .filter(pilot_link::Column::ExpiresAt.gt(now))
        .one(db)
        .await?)
}

/// Revoke a pilot link at once; revoking it again keeps the first moment.
pub async fn revoke_pilot_link(
    db: &impl ConnectionTrait,
    link_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<pilot_link::Model> {
    let link = pilot_link::Entity::find_by_id(link_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    pilot_link::Entity::update_many()
        .col_expr(pilot_link::Column::RevokedAt, SqExpr::value(now))
        .filter(pilot_link::Column::Id.eq(link_id))
        .filter(pilot_link::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(link)
}

/// Start a pilot session; returns the value for the browser's pilot cookie.
pub async fn start_pilot_session(
    db: &impl ConnectionTrait,
    version_id: i64,
    link_id: Option<i64>,
    manager_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let token = new_token();
    pilot_session::ActiveModel {
        version_id: Set(version_id),
        link_id: Set(link_id),
        manager_id: Set(manager_id),
        token_hash: Set(hash_token(&token)),
        answers: Set("{}".to_owned()),
        started_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The pilot session behind a cookie, if it is for this version and its link still works.
pub async fn pilot_session(
    db: &impl ConnectionTrait,
    version_id: i64,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<pilot_session::Model>> {
    let Some(session) = pilot_session::Entity::find()
        .filter(pilot_session::Column::TokenHash.eq(hash_token(token)))
        .filter(pilot_session::Column::VersionId.eq(version_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if let Some(link_id) = session.link_id {
        let live = pilot_link::Entity::find_by_id(link_id)
            .filter(pilot_link::Column::RevokedAt.is_null())
            .filter(pilot_link::Column::ExpiresAt.gt(now))
            .one(db)
            .await?
            .is_some();
        if !live {
            return Ok(None);
        }
    }
    Ok(Some(session))
}

pub async fn save_pilot_answers(
    db: &impl ConnectionTrait,
    session_id: i64,
    answers_json: &str,
) -> StoreResult<()> {
    pilot_session::Entity::update_many()
        .col_expr(pilot_session::Column::Answers, SqExpr::value(answers_json))
        .filter(pilot_session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn finish_pilot_session(
    db: &impl ConnectionTrait,
    session_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    pilot_session::Entity::update_many()
        .col_expr(pilot_session::Column::FinishedAt, SqExpr::value(now))
        .filter(pilot_session::Column::Id.eq(session_id))
        .filter(pilot_session::Column::FinishedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Number of pilot sessions per version (started, finished).
pub async fn pilot_counts(db: &impl ConnectionTrait, version_id: i64) -> StoreResult<(u64, u64)> {
    let sessions = pilot_session::Entity::find()
        .filter(pilot_session::Column::VersionId.eq(version_id))
        .all(db)
        .await?;
    let finished = sessions.iter().filter(|s| s.finished_at.is_some()).count() as u64;
    Ok((sessions.len() as u64, finished))
}

pub const MAX_COMMENT_CHARS: usize = 2000;

pub async fn add_comment(
    db: &impl ConnectionTrait,
    version_id: i64,
    session_id: i64,
    question_id: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    pilot_comment::ActiveModel {
        version_id: Set(version_id),
        session_id: Set(session_id),
        question_id: Set(question_id.to_owned()),
        comment: Set(comment.chars().take(MAX_COMMENT_CHARS).collect()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn comments(
    db: &impl ConnectionTrait,
    version_id: i64,
) -> StoreResult<Vec<pilot_comment::Model>> {
    Ok(pilot_comment::Entity::find()
        .filter(pilot_comment::Column::VersionId.eq(version_id))
        .order_by_asc(pilot_comment::Column::CreatedAt)
        .all(db)
        .await?)
}
