//! The database schema of klankbord, one migration set for SQLite and PostgreSQL,
//! written with sea-orm's schema manager. Run from the `klankbord migrate` command and
//! at every start of `klankbord serve`.

pub use sea_orm_migration::prelude::*;

pub mod contact_summary;

mod m0001_foundation;
mod m0002_questionnaires;
mod m0003_responses;
mod m0004_fieldwork;
mod m0005_results;
mod m0006_phone;
mod m0007_frame_indexes;
mod m0008_contact_summary;
mod m0009_themes;
mod m0010_compensation;
mod m0011_client_requests;
mod m0012_client_tokens;
mod m0013_client_portal;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_questionnaires::Migration),
            Box::new(m0003_responses::Migration),
            Box::new(m0004_fieldwork::Migration),
            Box::new(m0005_results::Migration),
            Box::new(m0006_phone::Migration),
            Box::new(m0007_frame_indexes::Migration),
            Box::new(m0008_contact_summary::Migration),
            Box::new(m0009_themes::Migration),
            Box::new(m0010_compensation::Migration),
            Box::new(m0011_client_requests::Migration),
            Box::new(m0012_client_tokens::Migration),
            Box::new(m0013_client_portal::Migration),
        ]
    }
}
