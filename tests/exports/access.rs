//! Only managers download; every download is in the audit log; the results page links
//! the downloads.

use klankbord::store::entities::audit;
use klankbord::store::managers::ManagerRole;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::common::TestApp;
use crate::support::{path, setup};

#[tokio::test]
async fn only_managers_download_and_every_download_is_audited() {
    let app = TestApp::with_panel().await;
    let s = setup(&app).await;
    let files = [
        "antwoorden.csv",
        "antwoorden.xlsx",
        "antwoorden.sps",
        "codeboek.html",
    ];
    let interviewer = app
        .manager_with("bram@bellers.nl", ManagerRole::Interviewer)
        .await;
    let stranger = app.browser().await;
    for file in files {
        assert_eq!(
            interviewer.get(&path(s.survey_id, file)).await.status(),
            403
        );
        assert_eq!(stranger.get(&path(s.survey_id, file)).await.status(), 303);
    }
    let exported = || async {
        audit::Entity::find()
            .filter(audit::Column::Action.eq("export_responses"))
            .order_by_asc(audit::Column::Id)
            .all(&app.db)
            .await
            .unwrap()
    };
    // No other formats; a survey that does not exist is not found either.
    let other = s.manager.get(&path(s.survey_id, "antwoorden.sav")).await;
    assert_eq!(other.status(), 404);
    let missing = s
        .manager
        .get(&path(s.survey_id + 100, "antwoorden.csv"))
        .await;
    assert_eq!(missing.status(), 404);
    assert!(
        exported().await.is_empty(),
        "refused downloads are not exports"
    );
    for file in files {
        let r = s.manager.get(&path(s.survey_id, file)).await;
        assert_eq!(r.status(), 200);
    }
    let entries = exported().await;
    assert_eq!(entries.len(), 4);
    for (entry, format) in entries
        .iter()
        .zip(["CSV", "XLSX", "SPSS syntax", "codebook"])
    {
        assert!(entry.manager_id.is_some());
        assert_eq!(entry.panel_id.as_deref(), Some("ggz-panel"));
        assert_eq!(
            entry.detail,
            format!(
                "responses ({format}), survey {}: 5 rows, 29 variables",
                s.survey_id
            )
        );
    }
    // The audit log (for administrators) names the action in words.
    let admin = app
        .manager_with("ada@voorbeeld.nl", ManagerRole::Admin)
        .await;
    let (_, log) = admin.get_text("/beheer/audit").await;
    assert!(log.contains("Antwoorden van een enquête gedownload (voor onderzoek)"));
    // The results page links the four downloads.
    let (_, page) = s
        .manager
        .get_text(&format!("/beheer/enquetes/{}/resultaten", s.survey_id))
        .await;
    assert!(page.contains("Downloads voor onderzoekers"));
    for file in files {
        assert!(
            page.contains(&format!("href=\"{}\"", path(s.survey_id, file))),
            "{file}"
        );
    }
    app.stop().await;
}
