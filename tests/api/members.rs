//! Members: list filters and paging, viewing (audited), correcting with optimistic
//! locking and field errors, and confirming by hand.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{TestApp, as_refs, signup_form};
use crate::{Api, audit_log};

const SEVEN: &str = "name,email,phone,birth_year,consent,health_consent,rol,regio\n\
    Anna Jansen,anna@voorbeeld.nl,,1980,ja,ja,ervaring,west\n\
    Bram Bakker,bram@voorbeeld.nl,,1981,ja,ja,naaste,west\n\
    Cor de Wit,cor@voorbeeld.nl,,1982,ja,ja,ervaring,noord\n\
    Dini Smit,dini@voorbeeld.nl,06-11111111,1983,ja,ja,ervaring,west\n\
    Eef Jansen,eef@voorbeeld.nl,,1984,ja,ja,naaste,zuid\n\
    Fien Visser,fien@voorbeeld.nl,,1985,ja,ja,ervaring,oost\n\
    Gijs Mulder,gijs@voorbeeld.nl,,1986,ja,ja,ervaring,west\n";

fn emails(page: &Value) -> Vec<String> {
    page["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no members in {page}"))
        .iter()
        .map(|m| m["email"].as_str().unwrap().to_owned())
        .collect()
}

async fn member_id(api: &Api, email: &str) -> i64 {
    let (_, page) = api
        .get(&format!("/api/v1/panels/ggz-panel/members?q={email}"))
        .await;
    page["members"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn member_list_filters_and_pages() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    assert_eq!(api.import_csv(SEVEN).await, 7);
    let browser = app.browser().await;
    browser
        .post("/aanmelden", &as_refs(&signup_form("hanna@voorbeeld.nl")))
        .await;

    let base = "/api/v1/panels/ggz-panel/members";
    let (status, page) = api.get(&format!("{base}?per_page=3")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        (page["total"].as_u64(), page["pages"].as_u64()),
        (Some(8), Some(3))
    );
    assert_eq!(
        emails(&page),
        ["anna@voorbeeld.nl", "bram@voorbeeld.nl", "cor@voorbeeld.nl"]
    );
    let (_, page) = api.get(&format!("{base}?per_page=3&page=3")).await;
    assert_eq!(page["page"], 3);
    assert_eq!(emails(&page), ["gijs@voorbeeld.nl", "hanna@voorbeeld.nl"]);
    let (_, page) = api.get(&format!("{base}?per_page=3&page=4")).await;
    assert!(emails(&page).is_empty());
    let (_, page) = api.get(base).await;
    assert_eq!(
        (
            page["per_page"].as_u64(),
            page["members"].as_array().unwrap().len()
        ),
        (Some(50), 8)
    );

    let (_, page) = api.get(&format!("{base}?q=jansen")).await;
    assert_eq!(emails(&page), ["anna@voorbeeld.nl", "eef@voorbeeld.nl"]);
    let (_, page) = api.get(&format!("{base}?q=0611111111")).await;
    assert_eq!(emails(&page), ["dini@voorbeeld.nl"]);
    let (_, page) = api.get(&format!("{base}?status=pending")).await;
    assert_eq!(emails(&page), ["hanna@voorbeeld.nl"]);
    assert_eq!(page["members"][0]["status"], "pending");
    let (_, page) = api
        .get(&format!(
            "{base}?bg.regio=west&bg.rol=ervaring&status=active"
        ))
        .await;
    assert_eq!(
        emails(&page),
        [
            "anna@voorbeeld.nl",
            "dini@voorbeeld.nl",
            "gijs@voorbeeld.nl"
        ]
    );
    let (_, page) = api
        .get(&format!("{base}?bg.regio=west&per_page=2&page=2"))
        .await;
    assert_eq!((page["total"].as_u64(), emails(&page).len()), (Some(5), 2));

    let refused = [
        ("per_page=201", "per_page", "per_page"),
        ("per_page=0", "per_page", "per_page"),
        ("page=0", "page", "page"),
        ("page=twee", "page", "page"),
        ("status=actief", "status", "status"),
        ("bg.schoenmaat=42", "bg.schoenmaat", "unknown_variable"),
        ("bg.regio=mars", "bg.regio", "unknown_category"),
        ("regio=west", "regio", "unknown_parameter"),
    ];
    for (query, path, code) in refused {
        let (status, body) = api.get(&format!("{base}?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"], "invalid_query");
        assert_eq!(
            (
                body["problems"][0]["path"].as_str(),
                body["problems"][0]["code"].as_str()
            ),
            (Some(path), Some(code)),
            "{query}"
        );
    }
    let (status, _) = api.get("/api/v1/panels/geen-panel/members").await;
    assert_eq!(status, 404);

    // Each list shown is in the audit log, as on the web page.
    let lists: Vec<_> = audit_log(&app)
        .await
        .into_iter()
        .filter(|a| a.action == "list_members")
        .collect();
    assert_eq!(lists.len(), 9);
    assert_eq!(lists.last().unwrap().detail, "3 shown");
    assert!(lists.iter().all(|a| a.manager_id == Some(api.manager_id)));
    app.stop().await;
}

#[tokio::test]
async fn viewing_a_member_writes_an_audit_entry() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    api.import_csv(SEVEN).await;
    let id = member_id(&api, "dini@voorbeeld.nl").await;
    let before = audit_log(&app).await.len();

    let (status, m) = api.get(&format!("/api/v1/members/{id}")).await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["profile"]["name"], "Dini Smit");
    assert_eq!(m["profile"]["phone"], "06-11111111");
    assert_eq!(
        m["profile"]["background"],
        json!({"regio": "west", "rol": "ervaring"})
    );
    assert_eq!(
        (m["status"].as_str(), m["version"].as_i64()),
        (Some("active"), Some(1))
    );
    assert_eq!(m["consent"]["health_data"], true);

    let log = audit_log(&app).await;
    assert_eq!(log.len(), before + 1);
    let entry = &log[0];
    assert_eq!(entry.action, "view_member");
    assert_eq!(
        (entry.member_id, entry.manager_id),
        (Some(id), Some(api.manager_id))
    );
    assert_eq!(
        (entry.detail.as_str(), entry.actor.as_str()),
        ("profile", "Beheerder Test")
    );
    assert_eq!(
        m["access"][0]["action"], "view_member",
        "the member's page shows the view"
    );

    let (status, body) = api.get("/api/v1/members/999999").await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    assert_eq!(audit_log(&app).await.len(), before + 1);
    app.stop().await;
}

fn update_of(m: &Value) -> Value {
    let mut body = m["profile"].clone();
    body["version"] = m["version"].clone();
    body
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    api.import_csv(SEVEN).await;
    let id = member_id(&api, "anna@voorbeeld.nl").await;
    let path = format!("/api/v1/members/{id}");
    let (_, read) = api.get(&path).await;

    let mut change = update_of(&read);
    change["background"]["regio"] = json!("zuid");
    change["supporter"] = json!({"name": "Piet", "relation": "partner"});
    let (status, changed) = api.send(Method::PUT, &path, &change).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["profile"]["background"]["regio"], "zuid");
    assert_eq!(changed["profile"]["supporter"]["name"], "Piet");
    let entry = &audit_log(&app).await[0];
    assert_eq!(
        (entry.action.as_str(), entry.detail.as_str()),
        ("change_member", "supporter, background")
    );

    // Someone else, still holding version 1, is refused and changes nothing.
    let mut stale = update_of(&read);
    stale["background"]["regio"] = json!("noord");
    stale["name"] = json!("Anna Pietersen");
    let (status, body) = api
        .send(Method::PUT, &format!("{path}?lang=en"), &stale)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("Someone else"));
    let (_, now) = api.get(&path).await;
    assert_eq!(now["version"], 2);
    assert_eq!(now["profile"]["background"]["regio"], "zuid");
    assert_eq!(now["profile"]["name"], "Anna Jansen");
    app.stop().await;
}

#[tokio::test]
async fn bad_changes_are_refused_with_field_paths() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    api.import_csv(SEVEN).await;
    let id = member_id(&api, "anna@voorbeeld.nl").await;
    let path = format!("/api/v1/members/{id}");
    let (_, read) = api.get(&path).await;

    let mut bad = update_of(&read);
    bad["email"] = json!("geen-email");
    bad["background"]["regio"] = json!("mars");
    bad["supporter"] = json!({"name": "", "relation": "moeder"});
    let (status, body) = api
        .send(Method::PUT, &format!("{path}?lang=en"), &bad)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("validation")),
        "{body}"
    );
    let problems: Vec<_> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["path"].as_str().unwrap(), p["code"].as_str().unwrap()))
        .collect();
    assert!(problems.contains(&("$.email", "email")), "{problems:?}");
    assert!(
        problems.contains(&("$.background.regio", "unknown_category")),
        "{problems:?}"
    );
    assert!(
        problems.contains(&("$.supporter.name", "supporter_name")),
        "{problems:?}"
    );
    assert!(
        body["problems"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("This email address is not right")
    );

    let mut unknown = update_of(&read);
    unknown["status"] = json!("withdrawn");
    let (status, body) = api.send(Method::PUT, &path, &unknown).await;
    assert_eq!(status, 422);
    assert_eq!(body["problems"][0]["path"], "$.status");
    assert_eq!(body["problems"][0]["code"], "unknown_field");

    let mut taken = update_of(&read);
    taken["email"] = json!("BRAM@voorbeeld.nl");
    let (status, body) = api.send(Method::PUT, &path, &taken).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("duplicate")),
        "{body}"
    );
    assert_eq!(body["field"], "email");

    let (_, now) = api.get(&path).await;
    assert_eq!(now["version"], 1, "nothing changed");
    assert_eq!(now["profile"], read["profile"]);
    app.stop().await;
}

#[tokio::test]
async fn a_pending_sign_up_is_confirmed_by_hand() {
    let app = TestApp::with_panel().await;
    let api = Api::admin(&app).await;
    let browser = app.browser().await;
    browser
        .post(
            "/aanmelden",
            &as_refs(&signup_form("telefoon@voorbeeld.nl")),
        )
        .await;
    let id = member_id(&api, "telefoon@voorbeeld.nl").await;

    let (status, body) = api
        .send(
            Method::POST,
            &format!("/api/v1/members/{id}/confirm"),
            &json!(null),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "active");
    assert!(body["confirmed_at"].is_string());
    let entry = &audit_log(&app).await[0];
    assert_eq!(
        (entry.action.as_str(), entry.detail.as_str()),
        ("change_member", "confirmed sign-up")
    );
    let (status, _) = api
        .send(Method::POST, "/api/v1/members/999999/confirm", &json!(null))
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}
