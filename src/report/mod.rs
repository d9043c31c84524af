//! Charts and reports. Charts are SVG made with plotters, each with a title and a text
//! alternative, and always followed by a table with the same figures.

pub mod chart;
