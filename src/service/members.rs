//! Member flows: sign up with double opt-in, ask for a login link, confirm, log in,
//! withdraw consent and erase.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::contact::EmailAddress;
use crate::domain::member::{MemberStatus, Profile};
use crate::domain::panel::PanelDefinition;
use crate::domain::signup::NewMember;
use crate::mail::compose::{self, Composed};
use crate::store::entities::member;
use crate::store::outbox::{self, NewMail};
use crate::store::tokens::{self, TokenPurpose, TokenRejection};
use crate::store::{self, StoreError, StoreResult, members, sessions};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignupResult {
    /// A new, pending member; a confirmation email is queued (if they gave an email).
    Created { member_id: i64 },
    /// The email address is already a member; they got an email with a login link.
    /// The page says the same as for a new sign-up, so nobody learns who is a member.
    AlreadyMember,
    /// The phone number is already a member (no email to write to).
    DuplicatePhone,
}

fn mail(
    kind: &str,
    member_id: i64,
    token_or_nonce: &str,
    to: &EmailAddress,
    composed: Composed,
) -> NewMail {
    NewMail {
        // The token hash is unique per message and says nothing about the token.
        idempotency_key: format!(
            "{kind}:{member_id}:{}",
            &tokens::hash_token(token_or_nonce)[..16]
        ),
        member_id: Some(member_id),
        recipient: to.as_str().to_owned(),
        subject: composed.subject,
        body_text: composed.text,
        body_html: composed.html,
        headers: Vec::new(),
    }
}

fn link(base_url: &str, path: &str, token: &str) -> String {
    format!("{}/{path}/{token}", base_url.trim_end_matches('/'))
}

pub async fn sign_up(
    db: &DatabaseConnection,
    base_url: &str,
    panel: &PanelDefinition,
    new: &NewMember,
    now: DateTime<Utc>,
) -> StoreResult<SignupResult> {
    let txn = crate::store::begin_write(db).await?;
    let profile = &new.profile;
    if let Some(email) = &profile.email
        && let Some(existing) = members::find_by_email(&txn, panel.id.as_str(), email).await?
    {
        let purpose = if existing.status == MemberStatus::Pending {
            TokenPurpose::Confirm
        } else {
            TokenPurpose::Login
        };
        let token = tokens::issue(&txn, existing.id, purpose, now).await?;
        let lang = crate::i18n::Lang::from_code(&existing.language).unwrap_or_default();
        let composed = match purpose {
            TokenPurpose::Confirm => compose::confirm_signup(
                lang,
                panel,
                existing.name.as_deref(),
                &link(base_url, "bevestigen", &token),
            ),
            TokenPurpose::Login => compose::already_member(
                lang,
                panel,
                existing.name.as_deref(),
                &link(base_url, "inloggen", &token),
            ),
        };
        outbox::enqueue(
            &txn,
            mail("already", existing.id, &token, email, composed),
            now,
        )
        .await?;
        txn.commit().await?;
        return Ok(SignupResult::AlreadyMember);
    }
    let created =
        match members::insert_in(&txn, panel.id.as_str(), new, MemberStatus::Pending, now).await {
            Ok(m) => m,
            Err(StoreError::Duplicate("phone")) => return Ok(SignupResult::DuplicatePhone),
            Err(e) => return Err(e),
        };
    if let Some(email) = &profile.email {
        let token = tokens::issue(&txn, created.id, TokenPurpose::Confirm, now).await?;
        let composed = compose::confirm_signup(
            profile.language,
            panel,
            profile.name.as_deref(),
            &link(base_url, "bevestigen", &token),
        );
        outbox::enqueue(
            &txn,
            mail("confirm", created.id, &token, email, composed),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(SignupResult::Created {
        member_id: created.id,
    })
}

/// Send a login link if the address belongs to a member who has not left; say nothing
/// either way (the page is the same), so nobody learns who is a member.
pub async fn request_login(
    db: &DatabaseConnection,
    base_url: &str,
    panel: &PanelDefinition,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let txn = crate::store::begin_write(db).await?;
    if let Some(m) = members::find_by_email(&txn, panel.id.as_str(), email).await? {
        let lang = crate::i18n::Lang::from_code(&m.language).unwrap_or_default();
        let (purpose, composed_for): (TokenPurpose, fn(_, _, _, _) -> Composed) =
            if m.status == MemberStatus::Pending {
                (TokenPurpose::Confirm, compose::confirm_signup)
            } else {
                (TokenPurpose::Login, compose::login_link)
            };
        let token = tokens::issue(&txn, m.id, purpose, now).await?;
        let path = if purpose == TokenPurpose::Confirm {
            "bevestigen"
        } else {
            "inloggen"
        };
        let composed = composed_for(
            lang,
            panel,
            m.name.as_deref(),
            &link(base_url, path, &token),
        );
        outbox::enqueue(&txn, mail("login", m.id, &token, email, composed), now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Confirm a sign-up through the emailed link, and log the member in.
pub async fn confirm(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<Result<String, TokenRejection>> {
    let txn = crate::store::begin_write(db).await?;
    let member_id = match tokens::redeem(&txn, token, TokenPurpose::Confirm, now).await? {
        Ok(id) => id,
        Err(rejection) => return Ok(Err(rejection)),
    };
    members::confirm(&txn, member_id, now).await?;
    let session = sessions::create(&txn, sessions::Owner::Member(member_id), now).await?;
    txn.commit().await?;
    Ok(Ok(session))
}

/// Log in through the emailed link; returns the session cookie value.
pub async fn log_in(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<Result<String, TokenRejection>> {
    let txn = crate::store::begin_write(db).await?;
    let member_id = match tokens::redeem(&txn, token, TokenPurpose::Login, now).await? {
        Ok(id) => id,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let session = sessions::create(&txn, sessions::Owner::Member(member_id), now).await?;
    txn.commit().await?;
    Ok(Ok(session))
}

/// Change a profile; a change of email address needs no new opt-in here, because only
/// the logged-in member or a manager can make it.
pub async fn update_profile(
    db: &DatabaseConnection,
    member_id: i64,
    version: i32,
    profile: &Profile,
    now: DateTime<Utc>,
) -> StoreResult<member::Model> {
    members::update_profile(db, member_id, version, profile, now).await
}

/// Delete the account and make sure nothing of it lingers in the database file.
pub async fn erase(db: &DatabaseConnection, member_id: i64) -> StoreResult<()> {
    members::erase(db, member_id).await?;
    store::flush_erasure(db).await?;
    Ok(())
}
