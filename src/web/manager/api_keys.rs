//! API keys: a manager creates bearer tokens for the JSON API and revokes them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::store::api_tokens;
use crate::store::entities::api_token;
use crate::web::auth::ManagerAuth;
use crate::web::ctx::PageCtx;
use crate::web::error::WebResult;
use crate::web::form::CsrfForm;
use crate::web::state::AppState;
use crate::web::view::{FormErrors, opt_datetime};

#[derive(Template, WebTemplate)]
#[template(path = "manager/api_keys.html", config = "src/web/askama.toml")]
pub struct ApiKeysPage {
    pub ctx: PageCtx,
    pub tokens: Vec<api_token::Model>,
    pub errors: FormErrors,
    /// A token just made: shown once.
    pub new_secret: Option<String>,
}

impl ApiKeysPage {
    fn when(&self, at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        opt_datetime(at)
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
) -> WebResult<ApiKeysPage> {
    let tokens = api_tokens::list(&state.db, auth.0.id).await?;
    Ok(ApiKeysPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
        tokens,
        new_secret: None,
    })
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    auth: ManagerAuth,
    CsrfForm(form): CsrfForm,
) -> WebResult<Response> {
    let name = form.get("name").trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        let tokens = api_tokens::list(&state.db, auth.0.id).await?;
        let errors = FormErrors::single(ctx.lang, "name", "manager.api_keys.name_needed");
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ApiKeysPage {
                ctx,
                tokens,
                errors,
                new_secret: None,
            },
        )
            .into_response());
    }
    let (_, secret) = api_tokens::create(&state.db, auth.0.id, &name, state.now()).await?;
    let tokens = api_tokens::list(&state.db, auth.0.id).await?;
    Ok(ApiKeysPage {
        errors: FormErrors::none(ctx.lang),
        ctx,
        tokens,
        new_secret: Some(secret),
    }
    .into_response())
}

pub async fn revoke(
    State(state): State<AppState>,
    auth: ManagerAuth,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm,
) -> WebResult<Redirect> {
    api_tokens::revoke(&state.db, auth.0.id, id, state.now()).await?;
    Ok(Redirect::to("/beheer/api-sleutels"))
}
