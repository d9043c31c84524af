//! Charts, reports and exports. Charts are SVG made with plotters, each with a title and
//! a text alternative, and always followed by a table with the same figures; `export`
//! writes a survey's responses for researchers (CSV, XLSX, SPSS syntax, codebook).

pub mod chart;
pub mod documents;
pub mod export;
pub mod files;
pub mod results_tables;
pub mod results_view;
pub mod themes_view;
