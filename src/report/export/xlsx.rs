//! The dataset as an Excel workbook: a data sheet (variable names in the first row, one
//! row per response, codes as numbers, dates as dates, open answers as they were given)
//! and a codebook sheet with a row per variable.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::codebook::{kind_text, value_lines};
use super::{Cell, Dataset, ExportError};
use crate::i18n::t;

fn error(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

fn position(n: usize) -> Result<u32, ExportError> {
    u32::try_from(n).map_err(|_| ExportError::Xlsx("too many rows".to_owned()))
}

fn column(n: usize) -> Result<u16, ExportError> {
    u16::try_from(n).map_err(|_| ExportError::Xlsx("too many columns".to_owned()))
}

/// The XLSX file of `dataset`.
pub fn write(dataset: &Dataset) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let data = book.add_worksheet();
    data.set_name(t(dataset.lang, "export.xlsx.data_sheet"))
        .map_err(error)?;
    data_sheet(data, dataset, &bold, &date)?;
    let codebook = book.add_worksheet();
    codebook
        .set_name(t(dataset.lang, "export.xlsx.codebook_sheet"))
        .map_err(error)?;
    codebook_sheet(codebook, dataset, &bold)?;
    book.save_to_buffer().map_err(error)
}

fn data_sheet(
    sheet: &mut Worksheet,
    dataset: &Dataset,
    bold: &Format,
    date: &Format,
) -> Result<(), ExportError> {
    for (c, variable) in dataset.variables.iter().enumerate() {
        sheet
            .write_string_with_format(0, column(c)?, &variable.name, bold)
            .map_err(error)?;
    }
    for (r, row) in dataset.rows.iter().enumerate() {
        let r = position(r + 1)?;
        for (c, cell) in row.iter().enumerate() {
            let c = column(c)?;
            match cell {
                // Codes and numbers stay well inside f64's exact whole numbers.
                Cell::Int(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                Cell::Float(x) => sheet.write_number(r, c, *x).map(|_| ()),
                Cell::Date(d) => {
                    use chrono::Datelike;
                    let excel = ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).unwrap_or(1900),
                        d.month() as u8,
                        d.day() as u8,
                    )
                    .map_err(error)?;
                    sheet
                        .write_datetime_with_format(r, c, &excel, date)
                        .map(|_| ())
                }
                Cell::Text(text) => sheet.write_string(r, c, text).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .map_err(error)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(error)?;
    sheet.set_autofit_max_width(300);
    sheet.autofit();
    Ok(())
}

fn codebook_sheet(
    sheet: &mut Worksheet,
    dataset: &Dataset,
    bold: &Format,
) -> Result<(), ExportError> {
    let lang = dataset.lang;
    let wrap = Format::new().set_text_wrap();
    let headings = [
        "export.codebook.col_name",
        "export.codebook.col_label",
        "export.codebook.col_kind",
        "export.codebook.col_values",
        "export.codebook.col_missing",
    ];
    for (c, key) in headings.iter().enumerate() {
        sheet
            .write_string_with_format(0, column(c)?, t(lang, key), bold)
            .map_err(error)?;
    }
    for (r, v) in dataset.variables.iter().enumerate() {
        let r = position(r + 1)?;
        let cells = [
            v.name.clone(),
            v.label.clone(),
            kind_text(lang, v),
            value_lines(&v.values).join("\n"),
            value_lines(&v.missing).join("\n"),
        ];
        for (c, text) in cells.into_iter().enumerate() {
            sheet
                .write_string_with_format(r, column(c)?, text, &wrap)
                .map_err(error)?;
        }
    }
    for (c, width) in [24, 60, 28, 48, 28].into_iter().enumerate() {
        sheet.set_column_width(column(c)?, width).map_err(error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(error)?;
    Ok(())
}
