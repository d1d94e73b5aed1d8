//! Tables for [`super::builder::Builder`]: one block per row, cells separated by a
//! bar and padded so the bars line up. A row keeps at most
//! [`super::limits::MAX_TABLE_COLUMNS`] cells; the text of any further cells joins
//! the last one, so nothing is lost and the column widths stay bounded.

use scraper::ElementRef;

use super::builder::Builder;
use super::limits::MAX_TABLE_COLUMNS;
use crate::text::{StyledRun, TextStyle};

/// Table columns wider than this are not padded: one long cell must not push
/// every other row's bar far to the side.
pub(super) const MAX_PADDED_COLUMN: u16 = 24;

impl Builder {
    /// Rows of cells separated by a bar, one block per row; header cells bold.
    /// Cells are padded to their column's width (up to [`MAX_PADDED_COLUMN`] cells)
    /// so the bars line up.
    pub(super) fn table(&mut self, table: ElementRef<'_>) {
        let rows: Vec<Vec<Vec<StyledRun>>> = rows(table)
            .into_iter()
            .map(|row| self.row_cells(row))
            .collect();
        let mut widths: Vec<u16> = Vec::new();
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                let width = runs_width(cell).min(MAX_PADDED_COLUMN);
                match widths.get_mut(i) {
                    Some(w) => *w = (*w).max(width),
                    None => widths.push(width),
                }
            }
        }
        for row in rows {
            let cells = row.len();
            for (i, cell) in row.into_iter().enumerate() {
                if i > 0 {
                    self.runs.push(StyledRun {
                        text: " │ ".into(),
                        style: TextStyle {
                            marker: true,
                            ..Default::default()
                        },
                    });
                }
                let column = widths.get(i).copied().unwrap_or_default();
                let pad = column.saturating_sub(runs_width(&cell));
                self.runs.extend(cell);
                if pad > 0 && i + 1 < cells {
                    self.runs.push(StyledRun {
                        text: " ".repeat(usize::from(pad)),
                        style: TextStyle::default(),
                    });
                }
            }
            self.flush();
        }
        for caption in table
            .child_elements()
            .filter(|c| c.value().name() == "caption")
        {
            self.styled(caption, |s| s.italic = true);
            self.flush();
        }
    }

    /// The styled text of each `td`/`th` of a row, trimmed; cells past
    /// [`MAX_TABLE_COLUMNS`] are gathered into the last one.
    fn row_cells(&mut self, row: ElementRef<'_>) -> Vec<Vec<StyledRun>> {
        let outer = std::mem::take(&mut self.runs);
        let mut cells: Vec<Vec<StyledRun>> = Vec::new();
        for cell in row.child_elements() {
            let name = cell.value().name();
            if name != "td" && name != "th" {
                continue;
            }
            let saved = self.style;
            if name == "th" {
                self.style.bold = true;
            }
            self.after_space = true;
            self.cell_depth += 1;
            self.children(cell);
            self.cell_depth -= 1;
            self.style = saved;
            super::builder::trim_end(&mut self.runs);
            let runs = std::mem::take(&mut self.runs);
            let full = cells.len() >= MAX_TABLE_COLUMNS;
            match cells.last_mut() {
                Some(last) if full => {
                    last.push(StyledRun {
                        text: " ".into(),
                        style: TextStyle::default(),
                    });
                    last.extend(runs);
                }
                _ => cells.push(runs),
            }
        }
        self.runs = outer;
        self.after_space = true;
        cells
    }
}

/// The rows of a table in document order, looking through thead/tbody/tfoot but
/// not into nested tables.
fn rows<'a>(table: ElementRef<'a>) -> Vec<ElementRef<'a>> {
    let mut out = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => {
                out.extend(child.child_elements().filter(|r| r.value().name() == "tr"));
            }
            _ => {}
        }
    }
    out
}

fn runs_width(runs: &[StyledRun]) -> u16 {
    runs.iter()
        .map(|r| crate::text::str_width(&r.text))
        .fold(0, u16::saturating_add)
}
